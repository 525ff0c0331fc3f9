// Two of semver's functions, not its index, which loads all of semver (~3 ms of every CLI start).
import type SemVer from 'semver/classes/semver.js'
import compare from 'semver/functions/compare.js'
import parse from 'semver/functions/parse.js'

export type TagSort = 'name' | 'semver'

/** A tag's semantic version, accepting a leading `v` and short forms (`1`, `1.2`); null when it is none. */
export function tagVersion(tag: string): SemVer | null {
  const full = parse(tag.replace(/^v(?=\d)/, ''))
  if (full) return full
  const short = /^v?(\d+)(?:\.(\d+))?$/.exec(tag)
  return short ? parse(`${short[1]}.${short[2] ?? '0'}.0`) : null
}

/** Code-point order of two tag names. */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Orders tags. `name`: code-point order. `semver`: versions by precedence (oldest first),
 * ties broken by name, then every non-version tag by name.
 */
export function sortTags(tags: string[], order: TagSort): string[] {
  if (order === 'name') return [...tags].sort(byName)
  const versions = tags.map((tag) => ({tag, version: tagVersion(tag)}))
  const versioned = versions.filter((entry) => entry.version !== null)
  const others = versions.filter((entry) => entry.version === null).map((entry) => entry.tag)
  versioned.sort((a, b) => compare(a.version!, b.version!) || byName(a.tag, b.tag))
  return [...versioned.map((entry) => entry.tag), ...others.sort(byName)]
}
