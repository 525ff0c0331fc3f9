import type {Advisory, Database} from './osv/store.js'
import {matchAffected} from './osv/ranges.js'
import type {Distro, InstalledPackage} from './inventory/types.js'
import {packageKey} from './names.js'
import {rpmEcosystemOf} from './rpm/ecosystem.js'
import type {Severity} from './severity.js'
import {comparatorFor} from './versions/index.js'
import type {Digest} from '../registry/digest.js'

export interface Finding {
  id: string
  aliases: string[]
  package: string
  installedVersion: string
  /** Empty when no fixed version is known. */
  fixedVersion: string
  severity: Severity
  layer: Digest
  title: string
  /** `deb`, `apk`, `npm`, `python`, `rpm`, `golang`. */
  type: string
  path: string
}

interface Query {
  base: string
  /** The release an advisory's ecosystem must name (`12` for `Debian:12`), when the package is an OS package. */
  release?: string
  /** Decides instead of `release` when an ecosystem's release suffixes are not plain versions (Red Hat CPEs, SUSE products). */
  matchesRelease?: (release: string) => boolean
  name: string
  /** Other names the advisories may use for the package (rpm: the source package besides the binary). */
  alsoNames?: string[]
  version: string
}

/** What to look up for a package: OS packages by source name and version, within the image's release. */
export function queryFor(pkg: InstalledPackage, distro: Distro | undefined): Query | undefined {
  switch (pkg.type) {
    case 'deb': {
      // Advisories are per distribution: a Debian derivative's own versions are not Debian's.
      if (distro && distro.id !== 'debian' && distro.id !== 'ubuntu') return undefined
      const ubuntu = distro?.id === 'ubuntu'
      const release = ubuntu ? distro?.versionId : distro?.versionId?.split('.')[0]
      return {
        base: ubuntu ? 'Ubuntu' : 'Debian',
        ...(release ? {release} : {}),
        name: pkg.source?.name ?? pkg.name,
        version: pkg.source?.version ?? pkg.version,
      }
    }
    case 'apk': {
      if (distro && distro.id !== 'alpine') return undefined
      const release = distro?.versionId?.split('.').slice(0, 2).join('.')
      return {base: 'Alpine', ...(release ? {release: `v${release}`} : {}), name: pkg.source?.name ?? pkg.name, version: pkg.version}
    }
    case 'npm':
      return {base: 'npm', name: pkg.name, version: pkg.version}
    case 'python':
      return {base: 'PyPI', name: pkg.name, version: pkg.version}
    case 'rpm': {
      // RPM advisories name binary packages (Red Hat, Rocky, Alma errata) or source packages (SUSE): both are looked up.
      const ecosystem = rpmEcosystemOf(distro)
      if (!ecosystem) return undefined
      const alsoNames = pkg.source && pkg.source.name !== pkg.name ? [pkg.source.name] : []
      return {
        base: ecosystem.base,
        matchesRelease: ecosystem.matchesRelease,
        name: pkg.name,
        ...(alsoNames.length > 0 ? {alsoNames} : {}),
        version: pkg.version,
      }
    }
    case 'golang':
      return {base: 'Go', name: pkg.name, version: pkg.version}
  }
}

/** `Debian:12` applies to release 12; `Ubuntu:22.04:LTS` to 22.04; a bare ecosystem to any release. */
function releaseMatches(advisory: Advisory, query: Query): boolean {
  const parts = advisory.ecosystem.split(':')
  if (parts.length === 1) return true
  if (query.matchesRelease) return query.matchesRelease(parts.slice(1).join(':'))
  return query.release !== undefined && parts[1] === query.release
}

/** Every advisory that affects the package, one finding per advisory id. */
export async function findingsFor(pkg: InstalledPackage, distro: Distro | undefined, database: Database): Promise<Finding[]> {
  const query = queryFor(pkg, distro)
  if (!query) return []
  const compare = comparatorFor(query.base)
  if (!compare) return []
  const findings = new Map<string, Finding>()
  const advisories = await Promise.all(
    [query.name, ...(query.alsoNames ?? [])].map((name) => database.advisories(query.base, packageKey(query.base, name))),
  )
  for (const advisory of advisories.flat()) {
    if (findings.has(advisory.id) || !releaseMatches(advisory, query)) continue
    const match = matchAffected(
      {package: {ecosystem: advisory.ecosystem, name: query.name}, ranges: advisory.ranges, versions: advisory.versions},
      query.version,
      compare,
    )
    if (!match) continue
    findings.set(advisory.id, {
      id: advisory.id,
      aliases: advisory.aliases,
      package: pkg.name,
      installedVersion: pkg.version,
      fixedVersion: match.fixed,
      severity: advisory.severity,
      layer: pkg.layer,
      title: advisory.summary,
      type: pkg.type,
      path: pkg.path,
    })
  }
  return [...findings.values()]
}
