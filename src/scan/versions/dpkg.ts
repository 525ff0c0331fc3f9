/**
 * Debian package version order, as specified in deb-version(7): `[epoch:]upstream[-revision]`,
 * compared part by part; within a part, alternating non-digit runs (letters before non-letters,
 * `~` before everything, even the end) and digit runs (numerically).
 */

export interface DpkgVersion {
  epoch: number
  upstream: string
  revision: string
}

export function parseDpkgVersion(version: string): DpkgVersion {
  const text = version.trim()
  const colon = text.indexOf(':')
  const epoch = colon > 0 && /^\d+$/.test(text.slice(0, colon)) ? Number(text.slice(0, colon)) : 0
  const rest = colon > 0 && /^\d+$/.test(text.slice(0, colon)) ? text.slice(colon + 1) : text
  const hyphen = rest.lastIndexOf('-')
  return hyphen >= 0 ? {epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1)} : {epoch, upstream: rest, revision: ''}
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isLetter = (c: string): boolean => /[A-Za-z]/.test(c)

/** Sort weight of one non-digit character; the end of a string weighs 0, so only `~` sorts before it. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0
  if (c === '~') return -1
  if (isLetter(c)) return c.charCodeAt(0)
  return c.charCodeAt(0) + 256
}

/** Compares one upstream or revision part. */
function comparePart(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const difference = weight(a[i]) - weight(b[j])
      if (difference !== 0) return difference
      i++
      j++
    }
    while (a[i] === '0') i++
    while (b[j] === '0') j++
    let firstDifference = 0
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDifference === 0) firstDifference = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    // The longer digit run (after leading zeros) is the larger number.
    if (isDigit(a[i])) return 1
    if (isDigit(b[j])) return -1
    if (firstDifference !== 0) return firstDifference
  }
  return 0
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in dpkg's order. */
export function compareDpkg(a: string, b: string): number {
  const left = parseDpkgVersion(a)
  const right = parseDpkgVersion(b)
  if (left.epoch !== right.epoch) return left.epoch - right.epoch
  return comparePart(left.upstream, right.upstream) || comparePart(left.revision, right.revision)
}
