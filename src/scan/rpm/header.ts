/**
 * The RPM header blob, as every rpm database backend stores one package (no npm package reads it):
 *
 *   int32 BE  il   number of index entries
 *   int32 BE  dl   size of the data store
 *   il × 16 bytes  index entries: tag, type, offset (into the data store), count — each int32 BE
 *   dl bytes       data store
 *
 * Only the tags an inventory needs are read: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM. The blob
 * is untrusted (it comes from an image layer): every count and offset is checked against the blob's
 * length before use, the limits are rpm's own (at most 65,535 entries, 256 MiB of data), and a bad
 * blob is a MalformedRpmHeader with a one-line reason, never an out-of-bounds read.
 */

export interface RpmPackage {
  name: string
  /** Absent when the package has no Epoch tag (rpm prints no `epoch:` then). */
  epoch?: number
  version: string
  release: string
  /** Absent for gpg-pubkey pseudo-packages, which have no ARCH. */
  arch?: string
  /** `name-version-release.src.rpm`; absent for source-less packages (gpg-pubkey). */
  sourceRpm?: string
}

export class MalformedRpmHeader extends Error {}

const TAG_NAME = 1000
const TAG_VERSION = 1001
const TAG_RELEASE = 1002
const TAG_EPOCH = 1003
const TAG_ARCH = 1022
const TAG_SOURCERPM = 1044

const TYPE_INT32 = 4
const TYPE_STRING = 6
const TYPE_I18NSTRING = 9

/** rpm's header limits (HEADER_TAGS_MAX, HEADER_DATA_MAX): larger counts are corruption, not packages. */
const MAX_ENTRIES = 0xffff
const MAX_DATA = 0x0fffffff
const ENTRY_SIZE = 16
const PREAMBLE = 8

interface Entry {
  type: number
  offset: number
  count: number
}

/** Reads the index and data store bounds; throws MalformedRpmHeader when they do not fit the blob. */
function readIndex(blob: Uint8Array): {entries: Map<number, Entry>; data: Uint8Array} {
  if (blob.length < PREAMBLE) throw new MalformedRpmHeader(`header blob of ${blob.length} bytes is shorter than its 8-byte preamble`)
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  const il = view.getUint32(0)
  const dl = view.getUint32(4)
  if (il === 0 || il > MAX_ENTRIES) throw new MalformedRpmHeader(`header claims ${il} index entries (1 to ${MAX_ENTRIES} allowed)`)
  if (dl > MAX_DATA) throw new MalformedRpmHeader(`header claims ${dl} bytes of data (at most ${MAX_DATA} allowed)`)
  const dataStart = PREAMBLE + il * ENTRY_SIZE
  if (dataStart + dl > blob.length)
    throw new MalformedRpmHeader(`header claims ${il} entries and ${dl} bytes of data, more than its ${blob.length} bytes`)
  const entries = new Map<number, Entry>()
  for (let index = 0; index < il; index++) {
    const at = PREAMBLE + index * ENTRY_SIZE
    const tag = view.getInt32(at)
    // The first entry of a stored header may be a region tag; the tags read here are unique.
    if (!entries.has(tag)) entries.set(tag, {type: view.getUint32(at + 4), offset: view.getInt32(at + 8), count: view.getUint32(at + 12)})
  }
  return {entries, data: blob.subarray(dataStart, dataStart + dl)}
}

function readString(entries: Map<number, Entry>, data: Uint8Array, tag: number): string | undefined {
  const entry = entries.get(tag)
  if (!entry) return undefined
  if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING)
    throw new MalformedRpmHeader(`tag ${tag} has type ${entry.type}, not a string`)
  if (entry.offset < 0 || entry.offset >= data.length)
    throw new MalformedRpmHeader(`tag ${tag} points at offset ${entry.offset}, outside the ${data.length}-byte data store`)
  const end = data.indexOf(0, entry.offset)
  if (end < 0) throw new MalformedRpmHeader(`tag ${tag}'s string is not terminated inside the data store`)
  return new TextDecoder().decode(data.subarray(entry.offset, end))
}

function readInt32(entries: Map<number, Entry>, data: Uint8Array, tag: number): number | undefined {
  const entry = entries.get(tag)
  if (!entry) return undefined
  if (entry.type !== TYPE_INT32 || entry.count < 1)
    throw new MalformedRpmHeader(`tag ${tag} has type ${entry.type} and count ${entry.count}, not an int32`)
  if (entry.offset < 0 || entry.offset + 4 > data.length)
    throw new MalformedRpmHeader(`tag ${tag} points at offset ${entry.offset}, outside the ${data.length}-byte data store`)
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(entry.offset)
}

/** The package a header blob describes; throws MalformedRpmHeader (one line) when the blob is not a usable header. */
export function parseRpmHeader(blob: Uint8Array): RpmPackage {
  const {entries, data} = readIndex(blob)
  const name = readString(entries, data, TAG_NAME)
  const version = readString(entries, data, TAG_VERSION)
  const release = readString(entries, data, TAG_RELEASE)
  if (!name || version === undefined || release === undefined) throw new MalformedRpmHeader('header has no NAME, VERSION or RELEASE')
  const epoch = readInt32(entries, data, TAG_EPOCH)
  const arch = readString(entries, data, TAG_ARCH)
  const sourceRpm = readString(entries, data, TAG_SOURCERPM)
  return {name, ...(epoch === undefined ? {} : {epoch}), version, release, ...(arch ? {arch} : {}), ...(sourceRpm ? {sourceRpm} : {})}
}

/** `bash-5.1.8-6.el9.src.rpm` → name `bash`, version `5.1.8-6.el9` (the last two `-` split name, version, release). */
export function parseSourceRpm(sourceRpm: string): {name: string; version: string} | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm)
  return match ? {name: match[1], version: `${match[2]}-${match[3]}`} : undefined
}
