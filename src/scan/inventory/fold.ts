import type {LayerChanges} from './layer.js'
import type {PackageRecord} from './parsers/os-packages.js'
import type {LayerFile} from './records.js'
import type {Distro, InstalledPackage, Inventory, PackageType, Unchecked} from './types.js'
import type {Digest} from '../../registry/digest.js'

interface Parsed {
  type: PackageType
  records: PackageRecord[]
}

/**
 * OS packages are one per name (a newer record replaces the older); language packages can be installed
 * at several versions at once, and a lockfile and node_modules both list the same ones: one per name@version.
 */
const identity = (type: PackageType, record: PackageRecord): string =>
  type === 'deb' || type === 'apk'
    ? `${type}:${record.name}`
    : type === 'rpm'
      ? `rpm:${record.name}.${record.arch ?? ''}`
      : `${type}:${record.name}@${record.version}`

/** Whether `path` (or, with `self`, the path itself) lies under one of `roots`: one lookup per ancestor. */
function under(path: string, roots: Set<string>, self: boolean): boolean {
  if (roots.size === 0) return false
  if (roots.has('') || (self && roots.has(path))) return true
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) if (roots.has(path.slice(0, slash))) return true
  return false
}

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
    this.release(
      path,
      [...previous].filter((key) => !records.has(key)),
    )
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
 * layers only) and lists the packages left at the top, each with the layer that installed it, and
 * what could not be read: record files left unread and the bounds layers reached.
 */
export function foldLayers(layers: {digest: Digest; changes: LayerChanges}[]): Inventory {
  const files = new Map<string, {file: LayerFile; layer: Digest}>()
  const links = new Map<string, string>()
  const attribution = new Attribution()
  const limits: Unchecked[] = []
  for (const {digest, changes} of layers) {
    const opaque = new Set(changes.opaque)
    const whiteouts = new Set(changes.whiteouts)
    const hidden = (path: string) => under(path, whiteouts, true) || under(path, opaque, false)
    if (opaque.size > 0 || whiteouts.size > 0) {
      for (const path of [...files.keys()].filter(hidden)) {
        files.delete(path)
        attribution.remove(path)
      }
      for (const path of [...links.keys()].filter(hidden)) links.delete(path)
    }
    for (const [path, file] of Object.entries(changes.files)) {
      files.set(path, {file, layer: digest})
      links.delete(path)
      attribution.write(path, digest, file.kind === 'packages' ? file : undefined)
    }
    for (const [path, target] of Object.entries(changes.symlinks)) {
      links.set(path, target)
      files.delete(path)
      attribution.remove(path)
    }
    for (const reason of changes.limits) limits.push({path: '', layer: digest, reason})
  }
  const packages = new Map<string, InstalledPackage>()
  const unread: Unchecked[] = []
  for (const [path, {file, layer: written}] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (file.kind === 'unread') unread.push({path, layer: written, reason: file.reason})
    if (file.kind === 'packages' && file.partly) unread.push({path, layer: written, reason: file.partly})
    if (file.kind !== 'packages') continue
    for (const record of file.records) {
      const key = identity(file.type, record)
      const layer = attribution.layerOf(key)
      if (!layer || packages.has(key)) continue
      packages.set(key, {
        type: file.type,
        name: record.name,
        version: record.version,
        ...(record.arch ? {arch: record.arch} : {}),
        ...(record.source ? {source: record.source} : {}),
        layer,
        path,
      })
    }
  }
  return {...distroOf(files, links), packages: [...packages.values()], unchecked: [...limits, ...unread]}
}

function distroOf(files: Map<string, {file: LayerFile}>, links: Map<string, string>): {distro?: Distro} {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const link = links.get(path)
    const file = files.get(link ? resolveLink(path, link) : path)?.file
    if (file?.kind === 'os-release' && file.distro) return {distro: file.distro}
  }
  return {}
}
