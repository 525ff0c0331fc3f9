import pLimit from 'p-limit'

import {inventoryImage, type InventoryOptions} from '../inventory/image.js'
import type {Inventory} from '../inventory/types.js'
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
  warnings: string[]
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
export async function scanBuiltin(client: RegistryClient, repository: Repository, layers: Descriptor[], database: Database, options: InventoryOptions = {}): Promise<BuiltinScan> {
  const meta = await database.meta()
  const available = new Set(Object.keys(meta.ecosystems))
  if (available.size === 0) throw new ReglensError(`no vulnerability database in ${database.directory}: run \`reglens scan db update\` (or \`scan db update --dir PATH\` offline)`, 'config')
  const inventory = await inventoryImage(client, repository, layers, options)
  const limit = pLimit(16)
  const perPackage = await Promise.all(inventory.packages.map((pkg) => limit(() => findingsFor(pkg, inventory.distro, database))))
  const missing = new Set<string>()
  let rpmWithoutEcosystem = 0
  for (const pkg of inventory.packages) {
    const base = queryFor(pkg, inventory.distro)?.base
    if (base && !available.has(base)) missing.add(base)
    if (!base && pkg.type === 'rpm') rpmWithoutEcosystem++
  }
  const warnings = [
    ...(inventory.warnings ?? []),
    ...[...missing].sort().map((base) => `the database has no ${base} advisories: ${base} packages were not checked (run \`reglens scan db update --ecosystems ${base.includes(' ') ? `'${base}'` : base}\`)`),
    ...(rpmWithoutEcosystem > 0 ? [unsupportedRpmDistro(rpmWithoutEcosystem, inventory)] : []),
  ]
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
  return {details, warnings, inventory}
}
