import pLimit from 'p-limit'

import {inventoryImage, type InventoryOptions} from '../inventory/image.js'
import type {Inventory} from '../inventory/types.js'
import {findingsFor, queryFor} from '../match.js'
import type {Database} from '../osv/store.js'
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
  for (const pkg of inventory.packages) {
    const base = queryFor(pkg, inventory.distro)?.base
    if (base && !available.has(base)) missing.add(base)
  }
  const warnings = [...missing].sort().map((base) => `the database has no ${base} advisories: ${base} packages were not checked (run \`reglens scan db update --ecosystems ${base}\`)`)
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
