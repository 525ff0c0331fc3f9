import type {HeaderBlobs} from './database.js'

/**
 * The header blobs of rpm's own "ndb" format (`Packages.db`, SUSE and openSUSE since 2020). No npm
 * package reads it; the layout is rpm's (lib/backend/ndb/rpmpkg.c), little-endian throughout:
 *
 *   bytes 0-31      file header: magic "RpmP", version 0, generation, number of slot pages (4096 bytes each), …
 *   then, to the end of the slot pages, 16-byte slots: magic "Slot", package index (0 = free),
 *                   offset and length of its blob, both in 16-byte blocks
 *   at offset×16    blob: magic "BlbS", package index, generation, length, then the header blob
 *                   itself, then a 12-byte tail (checksum, length, "BlbE")
 *
 * Blobs are stored uncompressed: rpm's LZO blob compression for ndb was compile-time only, never
 * enabled, and removed before rpm 4.16.
 *
 * The file is untrusted: slots are read only inside the file, a blob is taken only when its head
 * names the slot's package and its length fits inside the slot's blocks; anything else is skipped.
 */

const FILE_MAGIC = 0x506d7052 // "RpmP"
const SLOT_MAGIC = 0x746f6c53 // "Slot"
const BLOB_MAGIC = 0x53626c42 // "BlbS"
const FILE_HEADER = 32
const SLOT_SIZE = 16
const SLOT_PAGE = 4096
const BLOCK = 16
const BLOB_HEAD = 16

export function readNdbBlobs(bytes: Uint8Array): HeaderBlobs {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < FILE_HEADER || view.getUint32(0, true) !== FILE_MAGIC) throw new Error('not an rpm ndb database (bad magic number)')
  if (view.getUint32(4, true) !== 0) throw new Error(`rpm ndb database version ${view.getUint32(4, true)} is not supported (only 0)`)
  const slotPages = view.getUint32(12, true)
  const slotsEnd = slotPages * SLOT_PAGE
  if (slotPages === 0 || slotsEnd > bytes.length)
    throw new Error(`rpm ndb database claims ${slotPages} slot pages, more than its ${bytes.length} bytes`)
  const blobs: Uint8Array[] = []
  let skipped = 0
  for (let at = FILE_HEADER; at + SLOT_SIZE <= slotsEnd; at += SLOT_SIZE) {
    if (view.getUint32(at, true) !== SLOT_MAGIC) {
      skipped++
      continue
    }
    const pkgIndex = view.getUint32(at + 4, true)
    if (pkgIndex === 0) continue
    const offset = view.getUint32(at + 8, true) * BLOCK
    const blocks = view.getUint32(at + 12, true) * BLOCK
    if (
      offset < slotsEnd ||
      blocks < BLOB_HEAD ||
      offset + blocks > bytes.length ||
      view.getUint32(offset, true) !== BLOB_MAGIC ||
      view.getUint32(offset + 4, true) !== pkgIndex
    ) {
      skipped++
      continue
    }
    const length = view.getUint32(offset + 12, true)
    if (BLOB_HEAD + length > blocks) {
      skipped++
      continue
    }
    blobs.push(bytes.subarray(offset + BLOB_HEAD, offset + BLOB_HEAD + length))
  }
  return {blobs, skipped}
}
