/**
 * Parses `WWW-Authenticate` (RFC 7235): one or more challenges, each a scheme followed by
 * `name=value` parameters whose values may be quoted (and then contain commas, escaped quotes).
 * Hand-written: http-auth-utils rejects the `service` parameter registries send, and auth-header
 * (unmaintained since 2017) does not split several challenges in one header.
 */
export interface Challenge {
  /** Lower-cased scheme: `basic`, `bearer`, … */
  scheme: string
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/
const SPACES = /^[\s,]*/

/** Returns every challenge found; malformed tails are ignored rather than fatal (the header is untrusted). */
export function parseWwwAuthenticate(header: string | undefined): Challenge[] {
  const challenges: Challenge[] = []
  let rest = header ?? ''
  let current: Challenge | undefined
  while (true) {
    rest = rest.replace(SPACES, '')
    const token = TOKEN.exec(rest)?.[0]
    if (!token) break
    rest = rest.slice(token.length)
    const afterSpaces = rest.replace(/^\s*/, '')
    if (current && afterSpaces.startsWith('=') && !afterSpaces.startsWith('==')) {
      const parsed = readValue(afterSpaces.slice(1).replace(/^\s*/, ''))
      current.params[token.toLowerCase()] = parsed.value
      rest = parsed.rest
      continue
    }
    // A token not followed by `=` starts a new challenge (token68 credentials are not used by registries).
    current = {scheme: token.toLowerCase(), params: {}}
    challenges.push(current)
    rest = afterSpaces
  }
  return challenges
}

function readValue(text: string): {value: string; rest: string} {
  if (!text.startsWith('"')) {
    const value = /^[^\s,]*/.exec(text)?.[0] ?? ''
    return {value, rest: text.slice(value.length)}
  }
  let value = ''
  for (let i = 1; i < text.length; i++) {
    const char = text[i]
    if (char === '\\' && i + 1 < text.length) {
      value += text[++i]
    } else if (char === '"') {
      return {value, rest: text.slice(i + 1)}
    } else {
      value += char
    }
  }
  return {value, rest: ''}
}
