/**
 * Parses RFC 822-style stanzas (dpkg status, Python METADATA headers): `Key: value` lines, continuation
 * lines starting with whitespace, stanzas separated by blank lines. Keys are kept as written.
 */
export function parseStanzas(text: string): Record<string, string>[] {
  const stanzas: Record<string, string>[] = []
  let current: Record<string, string> = {}
  let lastKey: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) stanzas.push(current)
      current = {}
      lastKey = undefined
    } else if (/^[ \t]/.test(line)) {
      if (lastKey) current[lastKey] += `\n${line.trim()}`
    } else {
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      lastKey = line.slice(0, colon)
      current[lastKey] = line.slice(colon + 1).trim()
    }
  }
  if (Object.keys(current).length > 0) stanzas.push(current)
  return stanzas
}
