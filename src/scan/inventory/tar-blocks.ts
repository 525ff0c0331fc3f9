import {Transform, type TransformCallback} from 'node:stream'

const BLOCK = 512

/** gzip and zstd magic numbers: what a tar stream never starts with (it starts with a file name). */
const COMPRESSED = [Buffer.from([0x1f, 0x8b]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd])]

/**
 * Hands a tar stream on in whole 512-byte blocks. The tar parser joins a chunk's unaligned tail to the
 * whole next chunk (a copy of nearly every byte of a layer, since gunzip's chunks end anywhere); here
 * at most one block per chunk is copied. It also refuses a stream that starts compressed: the parser
 * would decompress it by itself, past the layer's expansion bounds.
 */
export class TarBlocks extends Transform {
  private tail: Buffer = Buffer.alloc(0)
  private first = true
  /** Whether the stream starts with a header, not the zero blocks of an empty archive's end (or nothing). */
  hasHeader = false

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0
    if (this.tail.length > 0) {
      const missing = BLOCK - this.tail.length
      if (chunk.length < missing) {
        this.tail = Buffer.concat([this.tail, chunk])
        return callback()
      }
      if (!this.pass(Buffer.concat([this.tail, chunk.subarray(0, missing)]), callback)) return
      start = missing
    }
    const end = start + Math.floor((chunk.length - start) / BLOCK) * BLOCK
    if (end > start && !this.pass(chunk.subarray(start, end), callback)) return
    this.tail = chunk.subarray(end)
    callback()
  }

  override _flush(callback: TransformCallback): void {
    if (this.tail.length > 0 && !this.pass(this.tail, callback)) return
    callback()
  }

  /** Pushes `blocks`; false (and the stream failed) when the stream turns out to be compressed. */
  private pass(blocks: Buffer, callback: TransformCallback): boolean {
    if (this.first) {
      this.first = false
      this.hasHeader = blocks.subarray(0, BLOCK).some((byte) => byte !== 0)
      if (COMPRESSED.some((magic) => blocks.subarray(0, magic.length).equals(magic))) {
        callback(new Error('its tar is compressed a second time'))
        return false
      }
    }
    this.push(blocks)
    return true
  }
}
