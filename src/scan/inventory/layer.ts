import type {Readable, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'

import {extract} from 'tar-stream'

import {classify, normalizePath} from './files.js'
import {ReglensError} from '../../errors.js'
import {rpmDatabaseKind} from '../rpm/database.js'
import {rpmDatabaseRecord} from '../rpm/record.js'

/**
 * What one layer changes among the files the inventory reads: the record files it adds (with their
 * content), and the whiteouts and opaque directories that hide lower layers' files. A few kilobytes to
 * megabytes whatever the layer's size, so it is what gets cached per layer digest.
 */
export interface LayerChanges {
  files: Record<string, string>
  /** Symbolic links among record paths (`etc/os-release -> ../usr/lib/os-release`). */
  symlinks: Record<string, string>
  /** Paths deleted by `.wh.<name>` entries: the path and everything under it. */
  whiteouts: string[]
  /** Directories emptied by `.wh..wh..opq`: lower layers' content under them is hidden. */
  opaque: string[]
}

/** A record file larger than this is not a package database; it is skipped rather than buffered. */
const MAX_RECORD_BYTES = 32 * 1024 * 1024

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

type ZstdZlib = typeof zlib & {createZstdDecompress?: () => Transform}

/** The decompressor for a layer media type; zstd needs a Node with zlib zstd (22.15+), checked at runtime. */
export function decompressorFor(mediaType: string, digest: string): Transform | undefined {
  if (mediaType.includes('zstd')) {
    const create = (zlib as ZstdZlib).createZstdDecompress
    if (!create) throw new ReglensError(`layer ${digest} is zstd-compressed and this Node ${process.version} has no zstd support (Node >= 22.15 has it); use --scanner trivy or grype`, 'unsupported')
    return create()
  }
  if (mediaType.includes('gzip')) return zlib.createGunzip()
  return undefined
}

async function readAll(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const item of stream) {
    const chunk = item as Buffer
    size += chunk.length
    if (size <= limit) chunks.push(chunk)
  }
  return size <= limit ? Buffer.concat(chunks) : undefined
}

/**
 * Streams a layer (compressed bytes in) through a tar parser, keeping only record files and whiteouts.
 * Every other entry is drained without being kept, so memory stays flat on layers of any size.
 */
export async function readLayerChanges(blob: Readable, mediaType: string, digest: string): Promise<LayerChanges> {
  const changes: LayerChanges = {files: {}, symlinks: {}, whiteouts: [], opaque: []}
  const tar = extract()
  const decompress = decompressorFor(mediaType, digest)
  const feeding = decompress ? pipeline(blob, decompress, tar) : pipeline(blob, tar)
  const reading = (async () => {
    for await (const entry of tar) {
      const path = normalizePath(entry.header.name)
      const slash = path.lastIndexOf('/')
      const base = path.slice(slash + 1)
      const directory = slash < 0 ? '' : path.slice(0, slash)
      if (base === OPAQUE) changes.opaque.push(directory)
      else if (base.startsWith(WHITEOUT)) changes.whiteouts.push(directory === '' ? base.slice(WHITEOUT.length) : `${directory}/${base.slice(WHITEOUT.length)}`)
      else if (classify(path) && entry.header.type === 'symlink' && entry.header.linkname) changes.symlinks[path] = entry.header.linkname
      else if (rpmDatabaseKind(path) && entry.header.type === 'file') {
        changes.files[path] = await rpmDatabaseRecord(rpmDatabaseKind(path)!, entry)
        continue
      } else if (classify(path) && entry.header.type === 'file') {
        const content = await readAll(entry, MAX_RECORD_BYTES)
        if (content) changes.files[path] = content.toString('utf8')
        continue
      }
      entry.resume()
    }
  })()
  try {
    await Promise.all([feeding, reading])
  } catch (error) {
    if (error instanceof ReglensError) throw error
    throw new ReglensError(`layer ${digest} is not a readable ${decompress ? 'compressed ' : ''}tar: ${(error as Error).message}`, 'badResponse')
  }
  return changes
}
