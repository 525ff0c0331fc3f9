import pLimit from 'p-limit'

import {SCAN_HINTS} from '../hints.js'
import {inventoryImage, type InventoryOptions} from '../inventory/image.js'
import type {Inventory, Unchecked} from '../inventory/types.js'
import {findingsFor, queryFor} from '../match.js'
import type {Database} from '../osv/store.js'
import {RPM_ECOSYSTEMS} from '../rpm/ecosystem.js'
import type {ScanDetail} from '../report/result.js'
import {ReglensError} from '../../errors.js'
import type {RegistryClient} from '../../registry/client.js'
import type {Repository} from '../../registry/reference.js'
import type {Descriptor} from '../../registry/types/manifest.js'

export interface BuiltinScan {
  details: ScanDetail[]
  /** What the inventory could not read, and packages of ecosystems the database has no advisories for. */
  unchecked: Unchecked[]
  inventory: Inventory
}

/** RPM packages of a distribution OSV has no advisories for (Fedora, CentOS, Amazon Linux, Oracle Linux…). */
function unsupportedRpmDistro(count: number, inventory: Inventory): string {
  const distro = inventory.distro ? (inventory.distro.prettyName ?? inventory.distro.id) : 'an image without os-release'
  return `${count} rpm package${count === 1 ? ' was' : 's were'} not checked: OSV has no advisories for ${distro} (supported: ${RPM_ECOSYSTEMS.join(', ')})`
}

/**
 * The offline scanner: inventories the image's layers and matches every package against the local
 * OSV database. Fails when the database is empty rather than reporting a clean image.
 */
export async function scanBuiltin(
  client: RegistryClient,
  repository: Repository,
  layers: Descriptor[],
  database: Database,
  options: InventoryOptions = {},
): Promise<BuiltinScan> {
  const meta = await database.meta()
  const available = new Set(Object.keys(meta.ecosystems))
  if (available.size === 0) throw new ReglensError(`no vulnerability database in ${database.directory}: ${SCAN_HINTS.noDatabase}`, 'config')
  const inventory = await inventoryImage(client, repository, layers, options)
  const limit = pLimit(16)
  const perPackage = await Promise.all(inventory.packages.map((pkg) => limit(() => findingsFor(pkg, inventory.distro, database))))
  const missing = new Map<string, number>()
  const count = (key: string) => missing.set(key, (missing.get(key) ?? 0) + 1)
  for (const pkg of inventory.packages) {
    const query = queryFor(pkg, inventory.distro)
    if (!query) count(`os:${pkg.type}`)
    else if (!available.has(query.base)) count(`base:${query.base}`)
  }
  const distro = inventory.distro
    ? `${inventory.distro.id}${inventory.distro.versionId ? ` ${inventory.distro.versionId}` : ''}`
    : 'an unknown OS'
  const unchecked: Unchecked[] = [...missing].sort().map(([key, packages]) => {
    const [kind, name] = key.split(':')
    const reason =
      kind === 'base'
        ? `the database has no ${name} advisories: ${name} packages were not checked (${SCAN_HINTS.fetchEcosystem} ${name.includes(' ') ? `'${name}'` : name})`
        : name === 'rpm'
          ? unsupportedRpmDistro(packages, inventory)
          : `no advisory data for ${name} packages of ${distro}: ${packages} ${name} packages were not checked`
    return {path: '', layer: '', reason}
  })
  const details = perPackage.flat().map((finding) => ({
    id: finding.id,
    package: finding.package,
    installedVersion: finding.installedVersion,
    fixedVersion: finding.fixedVersion,
    severity: finding.severity,
    layer: finding.layer,
    title: finding.title,
    type: finding.type,
  }))
  return {details, unchecked: [...unchecked, ...inventory.unchecked], inventory}
}
