import type {HeaderBlobs} from './database.js'

/**
 * The header blobs of a Berkeley DB hash database, rpm's `Packages` before sqlite (RHEL/CentOS 7 and
 * 8, Amazon Linux 2). Only what rpm stores is read: every hash page's key/data pairs, data either
 * inline or in a chain of overflow pages. No npm package reads this format; the layout below is
 * Berkeley DB's (db_page.h), in the byte order its magic number reveals.
 *
 * Page 0, the metadata page: magic 0x00061561 at byte 12, page size at byte 20, page type 8 at 25.
 * Every page starts with a 26-byte header: next page at byte 16, entry count (uint16) at 20,
 * `hf_offset` (uint16) at 22 — on an overflow page, the number of data bytes it holds — and the page
 * type at 25 (13 hash, 2 old unsorted hash, 7 overflow). A hash page's header is followed by one
 * uint16 offset per item; items alternate key, data. An item's first byte is its kind: 1 inline
 * (the bytes up to the previous item's start), 3 an overflow reference (page number at byte 4,
 * total length at byte 8 of the item).
 *
 * The file is untrusted: page size, offsets, lengths and chains are checked against the file, and an
 * overflow chain that loops or runs short is counted as a skipped record.
 */

const HASH_MAGIC = 0x00061561
const PAGE_HEADER = 26
const TYPE_HASH_UNSORTED = 2
const TYPE_OVERFLOW = 7
const TYPE_HASH_META = 8
const TYPE_HASH = 13
const ITEM_INLINE = 1
const ITEM_OVERFLOW = 3
/** rpm's largest header (HEADER_DATA_MAX plus index): a longer record is corruption. */
const MAX_RECORD = 0x10000000

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    readonly littleEndian: boolean,
  ) {}

  u16(at: number): number {
    return this.view.getUint16(at, this.littleEndian)
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.littleEndian)
  }
}

/** A record stored in a chain of overflow pages; undefined when the chain is broken. */
function readOverflow(reader: Reader, pageSize: number, pages: number, first: number, length: number): Uint8Array | undefined {
  if (length > MAX_RECORD) return undefined
  const record = new Uint8Array(length)
  let filled = 0
  let page = first
  const seen = new Set<number>()
  while (filled < length) {
    if (page === 0 || page >= pages || seen.has(page)) return undefined
    seen.add(page)
    const start = page * pageSize
    if (reader.bytes[start + 25] !== TYPE_OVERFLOW) return undefined
    const size = reader.u16(start + 22)
    if (size > pageSize - PAGE_HEADER || filled + size > length) return undefined
    record.set(reader.bytes.subarray(start + PAGE_HEADER, start + PAGE_HEADER + size), filled)
    filled += size
    page = reader.u32(start + 16)
  }
  return record
}

/** rpm keeps a bookkeeping record under key 0 in old databases: not a package. */
const isZeroKey = (key: Uint8Array): boolean => key.length === 4 && key.every((byte) => byte === 0)

export function readBdbBlobs(bytes: Uint8Array): HeaderBlobs {
  if (bytes.length < 512) throw new Error(`not a Berkeley DB hash file: ${bytes.length} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const littleEndian = view.getUint32(12, true) === HASH_MAGIC
  if (!littleEndian && view.getUint32(12, false) !== HASH_MAGIC) throw new Error('not a Berkeley DB hash file (bad magic number)')
  const reader = new Reader(bytes, view, littleEndian)
  const pageSize = reader.u32(20)
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    throw new Error(`Berkeley DB page size ${pageSize} is not a power of two from 512 to 65536`)
  if (bytes[25] !== TYPE_HASH_META) throw new Error(`Berkeley DB file is not a hash database (metadata page type ${bytes[25]})`)
  const pages = Math.floor(bytes.length / pageSize)
  const blobs: Uint8Array[] = []
  let skipped = 0
  for (let page = 1; page < pages; page++) {
    const start = page * pageSize
    const type = bytes[start + 25]
    if (type !== TYPE_HASH && type !== TYPE_HASH_UNSORTED) continue
    const entries = reader.u16(start + 20)
    if (PAGE_HEADER + entries * 2 > pageSize) {
      skipped++
      continue
    }
    const offsets = Array.from({length: entries}, (_, index) => reader.u16(start + PAGE_HEADER + index * 2))
    // Items are packed from the end of the page down: an item ends where the previous one starts.
    const item = (index: number): Uint8Array | undefined => {
      const end = index === 0 ? pageSize : offsets[index - 1]
      const from = offsets[index]
      return from >= PAGE_HEADER + entries * 2 && from < end && end <= pageSize ? bytes.subarray(start + from, start + end) : undefined
    }
    for (let index = 0; index + 1 < entries; index += 2) {
      const key = item(index)
      const data = item(index + 1)
      if (!key || !data) {
        skipped++
        continue
      }
      if (key[0] === ITEM_INLINE && isZeroKey(key.subarray(1))) continue
      if (data[0] === ITEM_INLINE) blobs.push(data.subarray(1))
      else if (data[0] === ITEM_OVERFLOW && data.length >= 12) {
        const itemView = new DataView(data.buffer, data.byteOffset, data.byteLength)
        const record = readOverflow(reader, pageSize, pages, itemView.getUint32(4, littleEndian), itemView.getUint32(8, littleEndian))
        if (record) blobs.push(record)
        else skipped++
      } else skipped++
    }
  }
  return {blobs, skipped}
}
