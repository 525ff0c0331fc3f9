import {createHash} from 'node:crypto'
import {Transform, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'

import {pack, type Pack} from 'tar-stream'

import type {PrebuiltLayer} from '../../src/devtools/images.js'

/**
 * Builds gzip'd tar layers far larger than memory would allow to build whole (gigabytes of zeros, a
 * million entries), streaming: the tar is hashed for its diff_id and compressed as it is written.
 */
export async function streamLayer(write: (archive: Pack) => Promise<void>): Promise<PrebuiltLayer> {
  const archive = pack()
  const tarHash = createHash('sha256')
  const compressed: Buffer[] = []
  const done = pipeline(
    archive,
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        tarHash.update(chunk)
        callback(null, chunk)
      },
    }),
    createGzip({level: 9, chunkSize: 1024 * 1024}),
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
