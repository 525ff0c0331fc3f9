import {createHash, type Hash} from 'node:crypto'
import {Transform, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'

import {pack, type Pack} from 'tar-stream'

import type {PrebuiltLayer} from '../../src/devtools/images.js'

/**
 * Builds gzip'd tar layers far larger than memory would allow to build whole (gigabytes of zeros, a
 * million entries), streaming: the tar is hashed for its diff_id and compressed as it is written.
 * gzip level 1 by default (level 9 took most of a minute on a million entries); a bomb asks for 9.
 */
export async function streamLayer(write: (archive: Pack) => Promise<void>, {level = 1}: {level?: number} = {}): Promise<PrebuiltLayer> {
  const archive = pack()
  const tarHash = createHash('sha256')
  const compressed: Buffer[] = []
  const done = pipeline(
    archive,
    batched(tarHash),
    createGzip({level, chunkSize: 1024 * 1024}),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        compressed.push(chunk)
        callback()
      },
    }),
  )
  await write(archive)
  archive.finalize()
  await done
  return {gzip: Buffer.concat(compressed), diffId: `sha256:${tarHash.digest('hex')}`}
}

/**
 * Hashes the tar and hands it on in chunks of about 1 MiB: tar-stream writes each header as its own
 * 512-byte chunk, and a zlib call per header made a layer of a million entries take over a minute to build.
 */
function batched(tarHash: Hash): Transform {
  let pending: Buffer[] = []
  let pendingBytes = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tarHash.update(chunk)
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < BATCH_BYTES) return callback()
      const batch = Buffer.concat(pending)
      pending = []
      pendingBytes = 0
      callback(null, batch)
    },
    flush(callback) {
      callback(null, Buffer.concat(pending))
    },
  })
}

const BATCH_BYTES = 1024 * 1024

/** Adds an entry of `size` bytes, each `fill`, written in 1 MiB chunks (the whole is never in memory). */
export async function addFilled(
  archive: Pack,
  name: string,
  size: number,
  fill: (chunk: Buffer) => void = (chunk) => chunk.fill(0),
): Promise<void> {
  const block = Buffer.alloc(1024 * 1024)
  fill(block)
  const entry = archive.entry({name, size, mtime: new Date(0), mode: 0o644})
  await pipeline(
    (function* () {
      for (let left = size; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left)
    })(),
    entry,
  )
}

/** Adds a small entry and waits until the archive has taken it. */
export function addFile(archive: Pack, name: string, content: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    archive.entry({name, mtime: new Date(0), mode: 0o644}, content, (error) => (error ? reject(error) : resolve())),
  )
}
