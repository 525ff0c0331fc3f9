import {formatScope, type Scope} from '../transport/auth.js'

/** Parses a challenge's `scope` parameter: space-separated `type:name:actions` (names may hold `:port`). */
export function parseScopes(value: string | undefined): Scope[] {
  if (!value) return []
  const scopes: Scope[] = []
  for (const item of value.split(/\s+/).filter(Boolean)) {
    const first = item.indexOf(':')
    const last = item.lastIndexOf(':')
    if (first === -1 || last === first) continue
    const type = item.slice(0, first)
    if (type !== 'repository' && type !== 'registry') continue
    scopes.push({
      type,
      name: item.slice(first + 1, last),
      actions: item
        .slice(last + 1)
        .split(',')
        .filter(Boolean),
    })
  }
  return scopes
}

/** Unions scopes per (type, name): `pull` + `delete` on one repository becomes `pull,delete`. Sorted, so equal sets compare equal. */
export function mergeScopes(...lists: Scope[][]): Scope[] {
  const byResource = new Map<string, Scope>()
  for (const scope of lists.flat()) {
    const key = `${scope.type}:${scope.name}`
    const known = byResource.get(key)
    const actions = new Set([...(known?.actions ?? []), ...scope.actions])
    byResource.set(key, {type: scope.type, name: scope.name, actions: [...actions].sort()})
  }
  return [...byResource.values()].sort((a, b) => formatScope(a).localeCompare(formatScope(b)))
}

/** A stable key for a set of scopes (token cache key part). */
export function scopeKey(scopes: Scope[]): string {
  return mergeScopes(scopes).map(formatScope).join(' ')
}
