import type {RpmDatabaseRead} from './database.js'
import {parseSourceRpm} from './header.js'
import type {PackageRecord} from '../inventory/parsers/os-packages.js'
import type {LayerFile} from '../inventory/records.js'
import {formatRpmEvr} from '../versions/rpm.js'

/** gpg-pubkey entries are the keys rpm trusts, recorded as pseudo-packages: nothing installed. */
const PSEUDO_PACKAGES = new Set(['gpg-pubkey', 'gpg-pubkey-release'])

/**
 * What a layer keeps of an rpm database: its packages (a few hundred bytes each, never the binary
 * file), and what could not be read, which the scan reports as not checked.
 */
export function rpmLayerFile(read: RpmDatabaseRead): LayerFile {
  if (read.error) return {kind: 'unread', reason: `${read.error}; its packages were not listed`}
  const records = read.packages
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
  const partly = read.skipped > 0 ? `${read.skipped} unreadable package record${read.skipped === 1 ? '' : 's'} skipped` : undefined
  return {kind: 'packages', type: 'rpm', records, ...(partly ? {partly} : {})}
}
