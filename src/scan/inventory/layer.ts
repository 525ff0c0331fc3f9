import {on} from 'node:events'
import {type Readable, Transform, type TransformCallback} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'

import pLimit from 'p-limit'
import {Parser, type ReadEntry} from 'tar'

import {SCAN_HINTS} from '../hints.js'
import {classify, MAX_RECORD_BYTES, normalizePath} from './files.js'
import {LAYER_LIMITS} from './limits.js'
import {parseBounded} from './parse-large.js'
import {readGoBuildInfo} from './parsers/go-buildinfo.js'
import type {LayerFile} from './records.js'
import {TarBlocks} from './tar-blocks.js'
import {ReglensError} from '../../errors.js'

/**
 * What one layer changes among the files the inventory reads: the record files it adds (parsed), and
 * the whiteouts and opaque directories that hide lower layers' files. Bounded whatever the layer holds
 * (see limits.ts), so it is what gets kept and cached per layer digest.
 */
export interface LayerChanges {
  files: Record<string, LayerFile>
  /** Symbolic links among record paths (`etc/os-release -> ../usr/lib/os-release`). */
  symlinks: Record<string, string>
  /** Paths deleted by `.wh.<name>` entries: the path and everything under it. */
  whiteouts: string[]
  /** Directories emptied by `.wh..wh..opq`: lower layers' content under them is hidden. */
  opaque: string[]
  /** Bounds this layer reached: what of it was not read, one sentence each. */
  limits: string[]
}

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

type ZstdZlib = typeof zlib & {createZstdDecompress?: () => Transform}

/** The decompressor for a layer media type; zstd needs a Node with zlib zstd (22.15+), checked at runtime. */
export function decompressorFor(mediaType: string, digest: string): Transform | undefined {
  if (mediaType.includes('zstd')) {
    const create = (zlib as ZstdZlib).createZstdDecompress
    if (!create)
      throw new ReglensError(
        `layer ${digest} is zstd-compressed and this Node ${process.version} has no zstd support (Node >= 22.15 has it); ${SCAN_HINTS.externalScanner}`,
        'unsupported',
      )
    return create()
  }
  // 256 KiB output chunks instead of 16 KiB: a sixteenth of the callbacks and tar parser calls per layer.
  if (mediaType.includes('gzip')) return zlib.createGunzip({chunkSize: 256 * 1024})
  return undefined
}

/** Reads an entry's body of `size` bytes (its header's) into one buffer, without a second copy. */
async function readAll(stream: AsyncIterable<unknown>, size: number): Promise<Buffer> {
  const content = Buffer.allocUnsafe(size)
  let offset = 0
  for await (const item of stream) offset += (item as Buffer).copy(content, offset)
  return content.subarray(0, offset)
}

/** Executables a Go build could be: a Go binary is at least about a megabyte; larger than this is not read. */
const GO_BINARY_BYTES = {min: 256 * 1024, max: 1024 * 1024 * 1024}

/** Regular files, as the tar types name them (`OldFile`: a pre-POSIX archive's). */
const isFile = (entry: ReadEntry): boolean => entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile'

function mayBeGoBinary(entry: ReadEntry): boolean {
  return isFile(entry) && ((entry.mode ?? 0) & 0o111) !== 0 && entry.size >= GO_BINARY_BYTES.min && entry.size <= GO_BINARY_BYTES.max
}

/** Record files are read and parsed one at a time over all layers read at once: one large parse in memory at most. */
const oneAtATime = pLimit(1)

/** Counts bytes going through; calls `over` once when `allowed(total)` turns false. */
class Meter extends Transform {
  total = 0
  constructor(
    private readonly allowed: (total: number) => boolean,
    private readonly over: () => void,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.total += chunk.length
    if (!this.allowed(this.total)) {
      this.over()
      return callback()
    }
    callback(null, chunk)
  }
}

const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`

/**
 * Streams a layer (compressed bytes in) through a tar parser, keeping only parsed record files and
 * whiteouts. The parser skips every other entry's body without copying it or making a stream of it
 * (`wanted` decides from the header alone). Past a bound of LAYER_LIMITS the rest is skipped and the
 * reason recorded in `limits`, so memory and time stay bounded on any layer.
 */
export async function readLayerChanges(blob: Readable, mediaType: string, digest: string): Promise<LayerChanges> {
  const changes: LayerChanges = {files: {}, symlinks: {}, whiteouts: [], opaque: [], limits: []}
  const limit = (reason: string) => {
    if (!changes.limits.includes(reason)) changes.limits.push(reason)
  }
  const decompress = decompressorFor(mediaType, digest)
  const stop = new AbortController()
  let bomb = false
  let compressed = 0
  // A layer that expands past both bounds is a decompression bomb, not a filesystem: stop reading it.
  const expanded = new Meter(
    (total) =>
      total <= LAYER_LIMITS.expandedBytes ||
      total <= LAYER_LIMITS.expansionRatio * (compressed = (decompress as unknown as {bytesWritten: number}).bytesWritten),
    () => {
      limit(
        `it expands to more than ${mib(expanded.total)} from ${mib(compressed)} (over ${LAYER_LIMITS.expansionRatio}×): the rest of the layer was not read`,
      )
      bomb = true
      stop.abort()
    },
  )
  const blocks = new TarBlocks()
  const tar = new Parser({
    filter: (path, entry) => wanted(normalizePath(path), entry as ReadEntry),
    // Any damage ends the read (the parser would otherwise skip ahead to the next header that looks
    // valid); only an archive without a header (an empty layer) is not damage, though the parser warns.
    onwarn: (code, message) => {
      if (code !== 'TAR_BAD_ARCHIVE' || blocks.hasHeader) tar.abort(new Error(message))
    },
  })
  const feeding = decompress
    ? pipeline(blob, decompress, expanded, blocks, tar, {signal: stop.signal})
    : pipeline(blob, blocks, tar, {signal: stop.signal})
  let recordFiles = 0
  let recordBytes = 0
  let records = 0
  let hidden = 0
  /** Whether the parser hands an entry over to the loop below, or skips it. Whiteouts are taken from the header. */
  function wanted(path: string, entry: ReadEntry): boolean {
    const slash = path.lastIndexOf('/')
    const base = path.slice(slash + 1)
    if (!base.startsWith(WHITEOUT)) {
      const kind = classify(path)
      return kind ? isFile(entry) || entry.type === 'SymbolicLink' : mayBeGoBinary(entry)
    }
    const directory = slash < 0 ? '' : path.slice(0, slash)
    if (++hidden > LAYER_LIMITS.whiteouts) limit(`it has more than ${LAYER_LIMITS.whiteouts} whiteouts: the rest were not applied`)
    else if (base === OPAQUE) changes.opaque.push(directory)
    else changes.whiteouts.push(directory === '' ? base.slice(WHITEOUT.length) : `${directory}/${base.slice(WHITEOUT.length)}`)
    return false
  }
  let current: ReadEntry | undefined
  // Entries in archive order, one at a time: the parser hands over the next one when this one's body is consumed.
  const reading = (async () => {
    for await (const [entry] of on(tar, 'entry', {close: ['end'], signal: stop.signal}) as AsyncIterable<[ReadEntry]>) {
      current = entry
      const path = normalizePath(entry.path)
      const kind = classify(path)
      if (!kind) {
        const binary = await readGoBuildInfo(entry)
        if (binary && ++recordFiles > LAYER_LIMITS.recordFiles)
          limit(`it has more than ${LAYER_LIMITS.recordFiles} package record files: the rest were not read`)
        else if (binary?.kind === 'go') changes.files[path] = {kind: 'packages', type: 'golang', records: binary.records}
        else if (binary) changes.files[path] = {kind: 'unread', reason: binary.reason}
        continue
      }
      if (++recordFiles > LAYER_LIMITS.recordFiles)
        limit(`it has more than ${LAYER_LIMITS.recordFiles} package record files: the rest were not read`)
      else if (entry.type === 'SymbolicLink') {
        if (entry.linkpath) changes.symlinks[path] = entry.linkpath
      } else if (entry.size > MAX_RECORD_BYTES[kind])
        changes.files[path] = {kind: 'unread', reason: `larger than ${mib(MAX_RECORD_BYTES[kind])}, not read`}
      else if (recordBytes + entry.size > LAYER_LIMITS.recordBytes)
        changes.files[path] = {
          kind: 'unread',
          reason: `past the ${mib(LAYER_LIMITS.recordBytes)} of package records read per layer, not read`,
        }
      else {
        recordBytes += entry.size
        const file = await oneAtATime(async () => parseBounded(kind, path, await readAll(entry, entry.size)))
        const count = file.kind === 'packages' ? file.records.length : 0
        if (records + count > LAYER_LIMITS.records)
          changes.files[path] = {kind: 'unread', reason: `past the ${LAYER_LIMITS.records} packages read per layer, not read`}
        else {
          records += count
          changes.files[path] = file
        }
        continue
      }
      entry.resume()
    }
  })()
  try {
    await Promise.all([feeding, reading])
  } catch (error) {
    // Stop both sides (the parser has no destroy: end the entry being read), and let them settle
    // before `changes` is handed out, so nothing changes it afterwards.
    stop.abort()
    current?.destroy()
    await Promise.allSettled([feeding, reading])
    if (bomb) return changes
    if (error instanceof ReglensError) throw error
    throw new ReglensError(
      `layer ${digest} is not a readable ${decompress ? 'compressed ' : ''}tar: ${(error as Error).message}`,
      'badResponse',
    )
  }
  return changes
}
