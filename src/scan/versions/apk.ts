/**
 * Alpine apk version order: `digit{.digit}…{letter}{_suffix{number}}…{~hash}{-rN}`, compared token by
 * token as apk-tools does. Pre-release suffixes (_alpha, _beta, _pre, _rc) sort before the bare
 * version, post-release ones (_cvs, _svn, _git, _hg, _p) after it. A dotted component with a leading
 * zero compares as a string (1.01 < 1.1), like Gentoo's rule.
 */

/** Token kinds in apk-tools' order: when one version runs out first, this order decides. */
const enum Kind {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  Revision,
  End,
  Invalid,
}

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p']
const NO_SUFFIX = SUFFIXES.indexOf('')

interface Token {
  kind: Kind
  text: string
  suffix: number
}

/** Splits a version into tokens, ending with End or Invalid (validity checked as apk-tools does). */
function tokenize(version: string): Token[] {
  const tokens: Token[] = []
  let rest = version
  let kind = Kind.InitialDigit as Kind
  const take = (pattern: RegExp): string => {
    const match = pattern.exec(rest)
    const text = match ? match[0] : ''
    rest = rest.slice(text.length)
    return text
  }
  const push = (next: Kind, text: string, suffix = -1): void => {
    kind = text === '' && next !== Kind.End ? Kind.Invalid : next
    tokens.push({kind, text, suffix})
  }
  push(Kind.InitialDigit, take(/^\d+/))
  while (kind !== Kind.Invalid) {
    const c = rest[0]
    if (c === undefined) {
      push(Kind.End, '')
      break
    }
    if (c >= 'a' && c <= 'z' && kind <= Kind.Digit) {
      push(Kind.Letter, take(/^[a-z]/))
    } else if ((c === '.' && kind <= Kind.Digit) || (c >= '0' && c <= '9' && (kind <= Kind.Digit || kind === Kind.Suffix))) {
      const next = kind === Kind.Suffix ? Kind.SuffixNumber : Kind.Digit
      if (c === '.') rest = rest.slice(1)
      push(next, take(/^\d+/))
    } else if (c === '_' && kind <= Kind.SuffixNumber) {
      rest = rest.slice(1)
      const name = take(/^[a-z]+/)
      const suffix = name === '' ? -1 : SUFFIXES.indexOf(name)
      push(suffix < 0 ? Kind.Invalid : Kind.Suffix, name || '_', suffix)
    } else if (c === '~' && kind < Kind.CommitHash) {
      rest = rest.slice(1)
      push(Kind.CommitHash, take(/^[0-9a-f]+/))
    } else if (c === '-' && kind < Kind.Revision && rest.startsWith('-r')) {
      rest = rest.slice(2)
      push(Kind.Revision, take(/^\d+/))
    } else {
      push(Kind.Invalid, rest)
    }
  }
  return tokens
}

/** Compares decimal digit strings by value without overflowing (apk numbers are 64-bit). */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return x.length !== y.length ? x.length - y.length : compareStrings(x, y)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareStrings(a.text, b.text)
      return compareNumbers(a.text, b.text)
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareNumbers(a.text, b.text)
    case Kind.Suffix:
      return a.suffix - b.suffix
    default:
      return compareStrings(a.text, b.text)
  }
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in apk's order. */
export function compareApk(a: string, b: string): number {
  const left = tokenize(a.trim())
  const right = tokenize(b.trim())
  let index = 0
  for (; index < left.length && index < right.length; index++) {
    const x = left[index]
    const y = right[index]
    if (x.kind !== y.kind || x.kind >= Kind.End) break
    const order = compareTokens(x, y)
    if (order !== 0) return Math.sign(order)
  }
  const x = left[index]
  const y = right[index]
  if (x.kind === y.kind) return 0
  // Equal so far: the longer version is greater, unless what follows is a pre-release suffix.
  if (x.kind === Kind.Suffix && x.suffix < NO_SUFFIX) return -1
  if (y.kind === Kind.Suffix && y.suffix < NO_SUFFIX) return 1
  return x.kind > y.kind ? -1 : 1
}
