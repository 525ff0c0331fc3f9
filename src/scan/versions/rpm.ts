/**
 * RPM version order, as rpm's `rpmvercmp` and `rpmverCmp` define it (rpm 4.18).
 *
 * A version string is compared segment by segment: separators (anything but ASCII letters, digits,
 * `~` and `^`) are skipped; a digit run compares numerically (leading zeros ignored) and beats a
 * letter run; letter runs compare bytewise. `~` sorts before everything, even the end of the string
 * (`1.0~rc1` < `1.0`); `^` sorts after the end of the string but before any further segment
 * (`1.0` < `1.0^git1` < `1.0.1`). Of two strings equal up to where one ends, the longer is newer.
 *
 * A full `[epoch:]version[-release]` (EVR) compares epoch (missing = 0), then version, then release,
 * each with the segment order above; a missing release sorts before any release, even an empty one
 * (`1.0` < `1.0-` < `1.0-0`), as rpm 4.18's `rpm.vercmp` does.
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const TILDE = 126
const CARET = 94
/** Past the end of a string: sorts as rpm's NUL terminator. */
const END = 0

/** One rpmvercmp over two version (or release, or epoch) strings: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0
  const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : END)
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while (i < a.length && !isDigit(at(a, i)) && !isLetter(at(a, i)) && at(a, i) !== TILDE && at(a, i) !== CARET) i++
    while (j < b.length && !isDigit(at(b, j)) && !isLetter(at(b, j)) && at(b, j) !== TILDE && at(b, j) !== CARET) j++
    const [x, y] = [at(a, i), at(b, j)]
    if (x === TILDE || y === TILDE) {
      if (x !== TILDE) return 1
      if (y !== TILDE) return -1
      i++
      j++
      continue
    }
    // A caret is a tilde that sorts after the end of the string.
    if (x === CARET || y === CARET) {
      if (x === END) return -1
      if (y === END) return 1
      if (x !== CARET) return 1
      if (y !== CARET) return -1
      i++
      j++
      continue
    }
    if (x === END || y === END) break
    const numeric = isDigit(x)
    const inSegment = numeric ? isDigit : isLetter
    let iEnd = i
    let jEnd = j
    while (iEnd < a.length && inSegment(a.charCodeAt(iEnd))) iEnd++
    while (jEnd < b.length && inSegment(b.charCodeAt(jEnd))) jEnd++
    // Segments of different kinds: a number is newer than letters.
    if (jEnd === j) return numeric ? 1 : -1
    let left = a.slice(i, iEnd)
    let right = b.slice(j, jEnd)
    if (numeric) {
      left = left.replace(/^0+/, '')
      right = right.replace(/^0+/, '')
      if (left.length !== right.length) return left.length > right.length ? 1 : -1
    }
    if (left !== right) return left < right ? -1 : 1
    i = iEnd
    j = jEnd
  }
  if (i >= a.length && j >= b.length) return 0
  return i < a.length ? 1 : -1
}

export interface RpmEvr {
  epoch?: string
  version: string
  release?: string
}

/**
 * Splits `[epoch:]version[-release]` as rpm does: the epoch is the leading digits before a `:` (an
 * empty one is 0; anything else before a `:` stays part of the version), the release follows the
 * last `-`.
 */
export function parseRpmEvr(evr: string): RpmEvr {
  const digits = /^\d*/.exec(evr)![0].length
  const hasEpoch = evr[digits] === ':'
  const rest = hasEpoch ? evr.slice(digits + 1) : evr
  const hyphen = rest.lastIndexOf('-')
  return {
    ...(hasEpoch ? {epoch: digits === 0 ? '0' : evr.slice(0, digits)} : {}),
    version: hyphen < 0 ? rest : rest.slice(0, hyphen),
    ...(hyphen < 0 ? {} : {release: rest.slice(hyphen + 1)}),
  }
}

/** Negative, zero or positive as EVR `a` sorts before, equal to or after `b` in rpm's order. */
export function compareRpm(a: string, b: string): number {
  const left = parseRpmEvr(a)
  const right = parseRpmEvr(b)
  return (
    rpmvercmp(left.epoch ?? '0', right.epoch ?? '0') ||
    rpmvercmp(left.version, right.version) ||
    compareRelease(left.release, right.release)
  )
}

function compareRelease(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1
  return rpmvercmp(a, b)
}

/** `epoch:version-release` as rpm prints it (`%{EVR}`): the epoch only when the package has one. */
export function formatRpmEvr(evr: RpmEvr): string {
  return `${evr.epoch === undefined ? '' : `${evr.epoch}:`}${evr.version}${evr.release === undefined ? '' : `-${evr.release}`}`
}
