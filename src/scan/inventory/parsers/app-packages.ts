import {parseStanzas} from './control.js'
import type {PackageRecord} from './os-packages.js'

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The package name of a lockfile `packages` key: the part after the last `node_modules/`. */
function nameFromLockPath(path: string): string | undefined {
  const index = path.lastIndexOf('node_modules/')
  return index < 0 ? undefined : path.slice(index + 'node_modules/'.length)
}

/**
 * npm lockfiles: v2/v3 `packages` (keyed by install path), else v1's nested `dependencies` tree.
 * Links and the root project are not installed packages.
 */
export function parsePackageLock(text: string): PackageRecord[] {
  const doc = parseJson(text)
  if (!isObject(doc)) return []
  const records: PackageRecord[] = []
  if (isObject(doc.packages)) {
    for (const [path, entry] of Object.entries(doc.packages)) {
      const name = nameFromLockPath(path)
      if (!name || !isObject(entry) || entry.link === true || typeof entry.version !== 'string') continue
      records.push({name: typeof entry.name === 'string' ? entry.name : name, version: entry.version})
    }
    return records
  }
  const walk = (dependencies: unknown): void => {
    if (!isObject(dependencies)) return
    for (const [name, entry] of Object.entries(dependencies)) {
      if (!isObject(entry)) continue
      if (typeof entry.version === 'string' && !entry.version.startsWith('file:')) records.push({name, version: entry.version})
      walk(entry.dependencies)
    }
  }
  walk(doc.dependencies)
  return records
}

/** An installed package's own `package.json` under `node_modules/`. */
export function parseNodeModulesPackage(text: string): PackageRecord[] {
  const doc = parseJson(text)
  if (!isObject(doc) || typeof doc.name !== 'string' || typeof doc.version !== 'string') return []
  return [{name: doc.name, version: doc.version}]
}

/** A wheel's `*.dist-info/METADATA`: email-style headers `Name:` and `Version:` before the body. */
export function parsePythonMetadata(text: string): PackageRecord[] {
  const [headers] = parseStanzas(text.split(/\r?\n\r?\n/)[0] ?? '')
  if (!headers?.Name || !headers.Version) return []
  return [{name: headers.Name, version: headers.Version}]
}
