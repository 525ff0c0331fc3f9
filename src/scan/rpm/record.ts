import {MAX_RPM_DATABASE_BYTES, readRpmDatabase, type RpmDatabaseKind, type RpmDatabaseRead} from './database.js'
import {parseSourceRpm} from './header.js'
import type {PackageRecord} from '../inventory/parsers/os-packages.js'
import {formatRpmEvr} from '../versions/rpm.js'

/**
 * An rpm database is binary and can be large, so a layer keeps not the file but what was read from it:
 * this JSON text (a few hundred bytes per package), which is also what the layer cache stores.
 */
interface StoredRead extends RpmDatabaseRead {
  kind: RpmDatabaseKind
}

/** Reads a database file from a layer entry (at most MAX_RPM_DATABASE_BYTES held; the rest drained) into its stored text. */
export async function rpmDatabaseRecord(kind: RpmDatabaseKind, entry: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const item of entry) {
    const chunk = item as Buffer
    size += chunk.length
    if (size <= MAX_RPM_DATABASE_BYTES) chunks.push(chunk)
  }
  const read: RpmDatabaseRead =
    size > MAX_RPM_DATABASE_BYTES ? {packages: [], skipped: 0, error: `rpm ${kind} database of ${size} bytes is larger than the ${MAX_RPM_DATABASE_BYTES}-byte limit`} : await readRpmDatabase(kind, Buffer.concat(chunks))
  return JSON.stringify({kind, ...read} satisfies StoredRead)
}

/** gpg-pubkey entries are the keys rpm trusts, recorded as pseudo-packages: nothing installed. */
const PSEUDO_PACKAGES = new Set(['gpg-pubkey', 'gpg-pubkey-release'])

/** The packages of a stored database read, and a one-line warning for what could not be read. */
export function parseRpmDatabaseRecord(text: string, path: string): {records: PackageRecord[]; warnings: string[]} {
  let stored: StoredRead
  try {
    stored = JSON.parse(text) as StoredRead
  } catch {
    return {records: [], warnings: [`${path}: unreadable rpm database record`]}
  }
  const records = (Array.isArray(stored.packages) ? stored.packages : [])
    .filter((pkg) => !PSEUDO_PACKAGES.has(pkg.name))
    .map((pkg): PackageRecord => {
      const source = pkg.sourceRpm ? parseSourceRpm(pkg.sourceRpm) : undefined
      return {
        name: pkg.name,
        version: formatRpmEvr({...(pkg.epoch === undefined ? {} : {epoch: String(pkg.epoch)}), version: pkg.version, release: pkg.release}),
        ...(pkg.arch ? {arch: pkg.arch} : {}),
        ...(source ? {source} : {}),
      }
    })
  const warnings: string[] = []
  if (stored.error) warnings.push(`${path}: ${stored.error}; its packages were not listed`)
  if (stored.skipped > 0) warnings.push(`${path}: ${stored.skipped} unreadable package record${stored.skipped === 1 ? '' : 's'} skipped`)
  return {records, warnings}
}
