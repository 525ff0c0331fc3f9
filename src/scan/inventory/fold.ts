import type {LayerChanges} from './layer.js'
import {classify} from './files.js'
import {parseNodeModulesPackage, parsePackageLock, parsePythonMetadata} from './parsers/app-packages.js'
import {parseRpmDatabaseRecord} from '../rpm/record.js'
import {type PackageRecord, parseApkInstalled, parseDpkgStatus, parseOsRelease} from './parsers/os-packages.js'
import type {Distro, InstalledPackage, Inventory, PackageType} from './types.js'
import type {Digest} from '../../registry/digest.js'

interface Parsed {
  type: PackageType
  records: PackageRecord[]
  warnings?: string[]
}

function parseRecords(path: string, content: string): Parsed | undefined {
  switch (classify(path)) {
    case 'dpkg-status':
      return {type: 'deb', records: parseDpkgStatus(content)}
    case 'apk-installed':
      return {type: 'apk', records: parseApkInstalled(content)}
    case 'npm-lock':
      return {type: 'npm', records: parsePackageLock(content)}
    case 'npm-package':
      return {type: 'npm', records: parseNodeModulesPackage(content)}
    case 'python-metadata':
      return {type: 'python', records: parsePythonMetadata(content)}
    case 'rpm-database':
      return {type: 'rpm', ...parseRpmDatabaseRecord(content, path)}
    default:
      return undefined
  }
}

/**
 * OS packages are one per name (a newer record replaces the older); language packages can be installed
 * at several versions at once, and a lockfile and node_modules both list the same ones: one per name@version.
 */
const identity = (type: PackageType, record: PackageRecord): string =>
  type === 'deb' || type === 'apk' ? `${type}:${record.name}` : type === 'rpm' ? `rpm:${record.name}.${record.arch ?? ''}` : `${type}:${record.name}@${record.version}`

const under = (path: string, directory: string): boolean => directory === '' || path === directory || path.startsWith(`${directory}/`)

/** Resolves a symlink target relative to the link's directory. */
function resolveLink(link: string, target: string): string {
  const parts = target.startsWith('/') ? [] : link.split('/').slice(0, -1)
  for (const part of target.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '' && part !== '.') parts.push(part)
  }
  return parts.join('/')
}

/**
 * Which layer installed each package: a package keeps the layer where its record first appeared at its
 * current version for as long as some record file still holds it; once every record of it is deleted
 * (whiteout, opaque directory, rewritten database), a later reappearance counts as a new install.
 */
class Attribution {
  private readonly holders = new Map<string, {version: string; layer: Digest; paths: Set<string>}>()
  private readonly keysOfPath = new Map<string, Set<string>>()

  layerOf(key: string): Digest | undefined {
    return this.holders.get(key)?.layer
  }

  private release(path: string, keys: Iterable<string>): void {
    for (const key of keys) {
      const holder = this.holders.get(key)
      holder?.paths.delete(path)
      if (holder?.paths.size === 0) this.holders.delete(key)
    }
  }

  remove(path: string): void {
    this.release(path, this.keysOfPath.get(path) ?? [])
    this.keysOfPath.delete(path)
  }

  /** A record file written by `layer`: its packages keep their layer when already held at the same version. */
  write(path: string, layer: Digest, parsed: Parsed | undefined): void {
    const records = new Map((parsed?.records ?? []).map((record) => [identity(parsed!.type, record), record.version]))
    const previous = this.keysOfPath.get(path) ?? new Set<string>()
    this.release(path, [...previous].filter((key) => !records.has(key)))
    for (const [key, version] of records) {
      const holder = this.holders.get(key)
      if (holder?.version === version) holder.paths.add(path)
      else {
        if (holder) for (const stale of holder.paths) this.keysOfPath.get(stale)?.delete(key)
        this.holders.set(key, {version, layer, paths: new Set([path])})
      }
    }
    this.keysOfPath.set(path, new Set(records.keys()))
  }
}

/**
 * Applies layers bottom-up like an overlay filesystem (whiteouts and opaque directories hide lower
 * layers only) and lists the packages left at the top, each with the layer that installed it.
 */
export function foldLayers(layers: {digest: Digest; changes: LayerChanges}[]): Inventory {
  const files = new Map<string, string>()
  const links = new Map<string, string>()
  const attribution = new Attribution()
  const remove = (predicate: (path: string) => boolean) => {
    for (const path of [...files.keys()].filter(predicate)) {
      files.delete(path)
      attribution.remove(path)
    }
    for (const path of [...links.keys()].filter(predicate)) links.delete(path)
  }
  for (const {digest, changes} of layers) {
    for (const directory of changes.opaque) remove((path) => under(path, directory) && path !== directory)
    for (const removed of changes.whiteouts) remove((path) => under(path, removed))
    for (const [path, content] of Object.entries(changes.files)) {
      files.set(path, content)
      links.delete(path)
      attribution.write(path, digest, parseRecords(path, content))
    }
    for (const [path, target] of Object.entries(changes.symlinks)) {
      links.set(path, target)
      files.delete(path)
      attribution.remove(path)
    }
  }
  const packages = new Map<string, InstalledPackage>()
  const warnings: string[] = []
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parsed = parseRecords(path, content)
    warnings.push(...(parsed?.warnings ?? []))
    for (const record of parsed?.records ?? []) {
      const key = identity(parsed!.type, record)
      const layer = attribution.layerOf(key)
      if (!layer || packages.has(key)) continue
      packages.set(key, {type: parsed!.type, name: record.name, version: record.version, ...(record.arch ? {arch: record.arch} : {}), ...(record.source ? {source: record.source} : {}), layer, path})
    }
  }
  return {...distroOf(files, links), packages: [...packages.values()], ...(warnings.length > 0 ? {warnings} : {})}
}

function distroOf(files: Map<string, string>, links: Map<string, string>): {distro?: Distro} {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const link = links.get(path)
    const content = files.get(link ? resolveLink(path, link) : path)
    const distro = content === undefined ? undefined : parseOsRelease(content)
    if (distro) return {distro}
  }
  return {}
}
