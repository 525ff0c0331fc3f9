import type {OsvAffected, OsvEvent, OsvRange} from './schema.js'
import {compareSemver, type VersionComparator} from '../versions/index.js'

export interface AffectedMatch {
  /** The version that fixes the interval `version` is in; empty when none is known. */
  fixed: string
}

const eventVersion = (event: OsvEvent): string => event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? ''

/** `introduced: "0"` means "since the beginning": it sorts before every version. */
function compareEvents(compare: VersionComparator) {
  return (a: OsvEvent, b: OsvEvent): number => {
    const [x, y] = [eventVersion(a), eventVersion(b)]
    if (a.introduced === '0' || b.introduced === '0') return (b.introduced === '0' ? 1 : 0) - (a.introduced === '0' ? 1 : 0)
    return compare(x, y)
  }
}

/**
 * Evaluates one ECOSYSTEM or SEMVER range as the OSV spec describes: events sorted by version; an
 * `introduced` at or below the version opens an affected interval, a `fixed` at or below it (or a
 * `last_affected` below it) closes it again. Returns the match, or undefined when not affected.
 */
function matchRange(range: OsvRange, version: string, compare: VersionComparator): AffectedMatch | undefined {
  const events = [...range.events].sort(compareEvents(compare))
  let affected = false
  for (const event of events) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || compare(version, event.introduced) >= 0) affected = true
    } else if (event.fixed !== undefined) {
      if (compare(version, event.fixed) >= 0) affected = false
    } else if (event.last_affected !== undefined) {
      if (compare(version, event.last_affected) > 0) affected = false
    }
  }
  if (!affected) return undefined
  const fix = events.find((event) => event.fixed !== undefined && compare(event.fixed, version) > 0)
  return {fixed: fix?.fixed ?? ''}
}

/**
 * Whether `version` of a package is affected by an OSV `affected` entry: listed in `versions`, or inside
 * one of its ECOSYSTEM/SEMVER ranges (GIT ranges name commits, which an image does not record).
 * A version or event the ecosystem's grammar rejects makes that range inconclusive, never a crash.
 */
export function matchAffected(affected: OsvAffected, version: string, compare: VersionComparator): AffectedMatch | undefined {
  let listed = false
  for (const candidate of affected.versions) {
    try {
      if (candidate === version || compare(candidate, version) === 0) listed = true
    } catch {
      // An unparseable listed version cannot equal ours.
    }
  }
  for (const range of affected.ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue
    try {
      const match = matchRange(range, version, range.type === 'SEMVER' ? compareSemver : compare)
      if (match) return match
    } catch {
      continue
    }
  }
  return listed ? {fixed: ''} : undefined
}
