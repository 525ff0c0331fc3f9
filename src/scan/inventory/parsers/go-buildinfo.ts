import type {PackageRecord} from './os-packages.js'

/**
 * Go module build info of an executable, read as its bytes stream by (never buffered whole).
 *
 * Go writes a `.go.buildinfo` section that starts, 16-byte aligned, with the 14-byte magic
 * `\xff Go buildinf:`, then a pointer size byte and a flags byte, padded to 32 bytes. Since Go 1.18
 * (flag bit 2) two strings follow inline, each a uvarint length then bytes: the Go version
 * (`go1.21.5`) and the module info, the text `go version -m` prints (`path`, `mod`, `dep`, `=>`
 * lines) wrapped in 16-byte sentinels. Before 1.18 (Go 1.13 to 1.17) the header holds two pointers
 * instead, to the runtime's version and module info strings, whose bytes lie in the read-only data
 * that precedes the header in the file: a reader that streams has passed them when it meets the
 * header. They are the same bytes the fallback below finds as they stream by (the module info between
 * its sentinels, the runtime's version string), so the older form is read through that fallback.
 */

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46])
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
const HEADER = 32
const INLINE_STRINGS = 0x2
/** The 16-byte sentinels around the module info text. */
const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex')
const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex')
/** Version and module info are a few kilobytes; a large dependency graph stays far below this. */
const MAX_INFO_BYTES = 1024 * 1024

export type GoBinary = {kind: 'go'; goVersion: string; records: PackageRecord[]} | {kind: 'unreadable'; reason: string}

function uvarint(buffer: Buffer, offset: number): [value: number, next: number] | undefined {
  let value = 0
  for (let shift = 0, index = offset; index < buffer.length && shift < 35; shift += 7, index++) {
    value += (buffer[index] & 0x7f) * 2 ** shift
    if (buffer[index] < 0x80) return [value, index + 1]
  }
  return undefined
}

/** `go1.21.5` → `1.21.5`, the form OSV's Go `stdlib` entries use; `go1.22.0 X:boringcrypto` keeps its first word. */
export function stdlibVersion(goVersion: string): string {
  return goVersion.split(/\s/)[0].replace(/^go/, '')
}

/** The `mod`, `dep` and `=>` lines of Go's module info: the main module and every dependency, replacements applied. */
export function parseModInfo(text: string): PackageRecord[] {
  const records: PackageRecord[] = []
  for (const line of text.split('\n')) {
    const [kind, path, version] = line.split('\t')
    if ((kind === 'mod' || kind === 'dep') && path && version) records.push({name: path, version})
    // A replacement by another module version is what was built; a replacement by a local directory has no version.
    else if (kind === '=>' && path && version && records.length > 0) records[records.length - 1] = {name: path, version}
  }
  return records
}

/** Splits the inline strings that follow the 32-byte header (`header` starts at the magic). */
function parseInline(header: Buffer): GoBinary | undefined {
  const version = uvarint(header, HEADER)
  if (!version) return undefined
  const [versionLength, afterLength] = version
  if (afterLength + versionLength > header.length) return undefined
  const goVersion = header.subarray(afterLength, afterLength + versionLength).toString('utf8')
  const info = uvarint(header, afterLength + versionLength)
  if (!info) return undefined
  const [infoLength, infoStart] = info
  if (infoStart + infoLength > header.length) return undefined
  let modInfo = header.subarray(infoStart, infoStart + infoLength)
  // The module info is wrapped in the 16-byte sentinels; strip them.
  if (modInfo.length >= 33 && modInfo.subarray(0, 16).equals(MODINFO_START)) modInfo = modInfo.subarray(16, -16)
  if (!/^go\d/.test(goVersion)) return {kind: 'unreadable', reason: `Go build info names no Go version ("${goVersion.slice(0, 40)}")`}
  return {kind: 'go', goVersion, records: [...parseModInfo(modInfo.toString('utf8')), {name: 'stdlib', version: stdlibVersion(goVersion)}]}
}

/** Index of the first 16-byte-aligned magic in `buffer` (which starts at file offset `start`), or -1. */
function findAligned(buffer: Buffer, start: number): number {
  for (let at = buffer.indexOf(MAGIC); at >= 0; at = buffer.indexOf(MAGIC, at + 1)) if ((start + at) % 16 === 0) return at
  return -1
}

/** A Go release string as the runtime stores it (`go1.21.5`, `go1.22rc1`), with no printable byte around it. */
function findGoVersion(buffer: Buffer): string | undefined {
  for (let at = buffer.indexOf('go1.'); at >= 0; at = buffer.indexOf('go1.', at + 1)) {
    if (at > 0 && buffer[at - 1] >= 0x20 && buffer[at - 1] < 0x7f) continue
    let end = at + 4
    while (end < buffer.length && end - at < 24 && /[0-9a-z.]/.test(String.fromCharCode(buffer[end]))) end++
    if (end === buffer.length || (buffer[end] >= 0x20 && buffer[end] < 0x7f)) continue
    const text = buffer.toString('latin1', at, end)
    if (/^go1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?$/.test(text)) return text
  }
  return undefined
}

/**
 * Reads an executable's body: undefined when it is not ELF or carries no Go build info (a C binary,
 * a static Go binary built without modules), else the modules it was built from, or why they could
 * not be read. Always consumes the whole stream; keeps at most MAX_INFO_BYTES of it.
 *
 * Two places hold the module info: the `.go.buildinfo` header above, and the runtime's own copy of
 * it, wrapped in the sentinels, which is all some stripped binaries keep (esbuild's, for one); then the
 * Go version is the runtime's version string.
 */
export async function readGoBuildInfo(body: AsyncIterable<unknown>): Promise<GoBinary | undefined> {
  let offset = 0
  let elf: boolean | undefined
  let tail: Buffer = Buffer.alloc(0)
  let header: Buffer[] | undefined
  let headerBytes = 0
  let modInfo: Buffer[] | undefined
  let modInfoBytes = 0
  let goVersion: string | undefined
  for await (const item of body) {
    const chunk = item as Buffer
    if (elf === undefined) elf = chunk.length >= 4 && chunk.subarray(0, 4).equals(ELF)
    if (!elf) continue
    // Patterns may straddle two chunks: search them with the previous chunk's last bytes in front.
    const window = Buffer.concat([tail, chunk])
    const windowStart = offset - tail.length
    if (header && headerBytes < MAX_INFO_BYTES) {
      header.push(chunk)
      headerBytes += chunk.length
    } else if (!header) {
      const at = findAligned(window, windowStart)
      if (at >= 0) {
        header = [window.subarray(at)]
        headerBytes = window.length - at
      }
    }
    if (modInfo && modInfoBytes < MAX_INFO_BYTES) {
      modInfo.push(chunk)
      modInfoBytes += chunk.length
    } else if (!modInfo) {
      const at = window.indexOf(MODINFO_START)
      if (at >= 0) {
        modInfo = [window.subarray(at)]
        modInfoBytes = window.length - at
      }
    }
    goVersion ??= findGoVersion(window)
    tail = window.subarray(Math.max(0, window.length - 31))
    offset += chunk.length
  }
  if (header) {
    const read = fromHeader(Buffer.concat(header).subarray(0, MAX_INFO_BYTES))
    if (read) return read
    // The pointer form (before Go 1.18): what it points to was read as it streamed by, if anywhere.
    if (!modInfo)
      return goVersion
        ? {kind: 'go', goVersion, records: [{name: 'stdlib', version: stdlibVersion(goVersion)}]}
        : {kind: 'unreadable', reason: 'a Go binary built before Go 1.18 whose Go version was not found'}
  }
  if (!modInfo) return undefined
  const text = Buffer.concat(modInfo).subarray(0, MAX_INFO_BYTES)
  const end = text.indexOf(MODINFO_END)
  if (end < 0) return {kind: 'unreadable', reason: 'Go module info without its end marker'}
  const records = parseModInfo(text.subarray(MODINFO_START.length, end).toString('utf8'))
  if (!goVersion) return {kind: 'unreadable', reason: 'Go module info but no Go version'}
  return {kind: 'go', goVersion, records: [...records, {name: 'stdlib', version: stdlibVersion(goVersion)}]}
}

/** The build info of an inline header; undefined for the older pointer form (see readGoBuildInfo). */
function fromHeader(header: Buffer): GoBinary | undefined {
  if (header.length < HEADER) return {kind: 'unreadable', reason: 'Go build info cut short'}
  const pointerSize = header[MAGIC.length]
  const flags = header[MAGIC.length + 1]
  if (pointerSize !== 4 && pointerSize !== 8) return {kind: 'unreadable', reason: `Go build info with a pointer size of ${pointerSize}`}
  if ((flags & INLINE_STRINGS) === 0) return undefined
  return parseInline(header) ?? {kind: 'unreadable', reason: 'Go build info that could not be parsed'}
}
