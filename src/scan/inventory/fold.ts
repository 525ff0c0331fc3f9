import type {LayerChanges} from './layer.js'
import {classify} from './files.js'
import {parseNodeModulesPackage, parsePackageLock, parsePythonMetadata} from './parsers/app-packages.js'
import {type PackageRecord, parseApkInstalled, parseDpkgStatus, parseOsRelease} from './parsers/os-packages.js'
import type {Distro, InstalledPackage, Inventory, PackageType} from './types.js'
import type {Digest} from '../../registry/digest.js'

interface Parsed {
  type: PackageType
  records: PackageRecord[]
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
    default:
      return undefined
  }
}

/**
 * OS packages are one per name (a newer record replaces the older); language packages can be installed
 * at several versions at once, and a lockfile and node_modules both list the same ones: one per name@version.
 */
const identity = (type: PackageType, record: PackageRecord): string => (type === 'deb' || type === 'apk' ? `${type}:${record.name}` : `${type}:${record.name}@${record.version}`)

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
 * Applies layers bottom-up like an overlay filesystem (whiteouts and opaque directories hide lower
 * layers only) and lists the packages left at the top. Each is attributed to the first layer whose
 * records hold it at its final version.
 */
export function foldLayers(layers: {digest: Digest; changes: LayerChanges}[]): Inventory {
  const files = new Map<string, string>()
  const links = new Map<string, string>()
  const introducedBy = new Map<string, {version: string; layer: Digest}>()
  for (const {digest, changes} of layers) {
    for (const directory of changes.opaque) {
      for (const map of [files, links]) for (const path of [...map.keys()]) if (under(path, directory) && path !== directory) map.delete(path)
    }
    for (const removed of changes.whiteouts) {
      for (const map of [files, links]) for (const path of [...map.keys()]) if (under(path, removed)) map.delete(path)
    }
    for (const [path, content] of Object.entries(changes.files)) {
      files.set(path, content)
      links.delete(path)
      const parsed = parseRecords(path, content)
      for (const record of parsed?.records ?? []) {
        const key = identity(parsed!.type, record)
        if (introducedBy.get(key)?.version !== record.version) introducedBy.set(key, {version: record.version, layer: digest})
      }
    }
    for (const [path, target] of Object.entries(changes.symlinks)) {
      links.set(path, target)
      files.delete(path)
    }
  }
  const packages = new Map<string, InstalledPackage>()
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parsed = parseRecords(path, content)
    for (const record of parsed?.records ?? []) {
      const key = identity(parsed!.type, record)
      const layer = introducedBy.get(key)?.layer
      if (!layer || packages.has(key)) continue
      packages.set(key, {type: parsed!.type, name: record.name, version: record.version, ...(record.source ? {source: record.source} : {}), layer, path})
    }
  }
  return {...distroOf(files, links), packages: [...packages.values()]}
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
