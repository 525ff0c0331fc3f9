import type {ChalkInstance} from 'chalk'

import {shortDigest} from './digest.js'
import {renderTable} from './table.js'
import type {Inventory, Unchecked} from '../scan/inventory/types.js'
import type {ScanResult} from '../scan/report/result.js'
import {SEVERITIES, type Severity} from '../scan/severity.js'
import {describeUnchecked} from '../scan/unchecked.js'

const layerId = (digest: string): string => (digest === '' ? '(unknown)' : shortDigest(digest, {withAlgorithm: false}))
const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text)

function colorOf(chalk: ChalkInstance, severity: Severity): (text: string) => string {
  return {critical: chalk.red.bold, high: chalk.red, medium: chalk.yellow, low: chalk.cyan, unknown: chalk.gray}[severity]
}

/** The human report: a header line, per-layer counts, then every finding. */
export function renderScan(result: ScanResult, chalk: ChalkInstance): string {
  const summary = SEVERITIES.map((severity) => `${severity} ${result[severity]}`).join(', ')
  const lines = [
    `${chalk.bold(`${result.registry}/${result.repository}`)}:${result.reference} ${result.imageDigest} (${result.platform}), scanner ${result.scanner}`,
    `Total: ${result.total} (${summary})`,
    '',
    renderTable(
      result.layers,
      [
        {header: 'LAYER', value: (layer) => layerId(layer.digest)},
        {header: 'TOTAL', value: (layer) => String(layer.total), align: 'right'},
        ...SEVERITIES.map((severity) => ({
          header: severity.toUpperCase(),
          value: (layer: ScanResult['layers'][0]) => String(layer[severity]),
          align: 'right' as const,
        })),
      ],
      {head: chalk.bold},
    ),
  ]
  if (result.details.length > 0) {
    lines.push(
      '',
      renderTable(
        result.details,
        [
          {header: 'SEVERITY', value: (detail) => colorOf(chalk, detail.severity)(detail.severity.toUpperCase())},
          {header: 'ID', value: (detail) => detail.id},
          {header: 'PACKAGE', value: (detail) => detail.package},
          {header: 'INSTALLED', value: (detail) => detail.installedVersion},
          {header: 'FIXED', value: (detail) => detail.fixedVersion || '-'},
          {header: 'LAYER', value: (detail) => layerId(detail.layer)},
          {header: 'TITLE', value: (detail) => clip(detail.title, 60)},
        ],
        {head: chalk.bold},
      ),
    )
  }
  return lines.join('\n') + renderUnchecked(result.unchecked, chalk)
}

/** `image sbom` as a table: one row per package. */
export function renderInventory(inventory: Inventory, chalk: ChalkInstance): string {
  const distro = inventory.distro
    ? `${inventory.distro.prettyName ?? inventory.distro.id}${inventory.distro.versionId ? ` (${inventory.distro.id} ${inventory.distro.versionId})` : ''}`
    : 'unknown OS'
  const table = renderTable(
    inventory.packages,
    [
      {header: 'TYPE', value: (pkg) => pkg.type},
      {header: 'NAME', value: (pkg) => pkg.name},
      {header: 'VERSION', value: (pkg) => pkg.version},
      {
        header: 'SOURCE',
        value: (pkg) =>
          pkg.source && pkg.source.name !== pkg.name ? `${pkg.source.name}${pkg.source.version ? ` ${pkg.source.version}` : ''}` : '',
      },
      {header: 'LAYER', value: (pkg) => layerId(pkg.layer)},
      {header: 'PATH', value: (pkg) => pkg.path},
    ],
    {head: chalk.bold},
  )
  const count = inventory.packages.length
  const heading = `${chalk.bold(distro)}: ${count === 0 ? 'no packages found' : `${count} ${count === 1 ? 'package' : 'packages'}`}`
  return `${heading}${count === 0 ? '' : `\n\n${table}`}${renderUnchecked(inventory.unchecked, chalk)}`
}

/** The "not checked" block under a table: one line per item, empty when everything was read. */
export function renderUnchecked(unchecked: readonly Unchecked[], chalk: ChalkInstance): string {
  if (unchecked.length === 0) return ''
  return `\n\n${chalk.yellow.bold(`Not checked (${unchecked.length}):`)}\n${unchecked.map((item) => `  ${describeUnchecked(item).replace(/^not checked: /, '')}`).join('\n')}`
}
