import {layerResolver, type LayerIds, titleFrom} from './layer-map.js'
import type {ScanDetail} from '../report/result.js'
import {normalizeSeverity} from '../severity.js'
import {ReglensError} from '../../errors.js'

/**
 * Trivy's `--format json` report (SchemaVersion 2): `Results[]` per target (OS packages, each lockfile),
 * each with `Vulnerabilities[]` naming the package, versions, severity and the `Layer` (Digest, DiffID).
 */
type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/** Trivy `Type` (debian, alpine, npm, node-pkg, python-pkg…) to reglens' package kinds where they match. */
function packageType(type: string): string {
  if (['debian', 'ubuntu'].includes(type)) return 'deb'
  if (type === 'alpine' || type === 'wolfi' || type === 'chainguard') return 'apk'
  if (type === 'npm' || type === 'node-pkg' || type === 'yarn' || type === 'pnpm') return 'npm'
  if (type === 'python-pkg' || type === 'pip' || type === 'pipenv' || type === 'poetry') return 'python'
  return type
}

export function parseTrivyReport(json: string, layers: readonly LayerIds[]): ScanDetail[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    throw new ReglensError('trivy printed a report that is not JSON', 'badResponse')
  }
  if (!isObject(doc) || (doc.Results !== undefined && doc.Results !== null && !Array.isArray(doc.Results)))
    throw new ReglensError('trivy report has no Results list', 'badResponse')
  const resolve = layerResolver(layers)
  const details: ScanDetail[] = []
  for (const result of (doc.Results as unknown[] | undefined | null) ?? []) {
    if (!isObject(result) || !Array.isArray(result.Vulnerabilities)) continue
    const type = packageType(text(result.Type))
    for (const vulnerability of result.Vulnerabilities) {
      if (!isObject(vulnerability) || !text(vulnerability.VulnerabilityID) || !text(vulnerability.PkgName)) continue
      const layer = isObject(vulnerability.Layer) ? vulnerability.Layer : {}
      details.push({
        id: text(vulnerability.VulnerabilityID),
        package: text(vulnerability.PkgName),
        installedVersion: text(vulnerability.InstalledVersion),
        fixedVersion: text(vulnerability.FixedVersion),
        severity: normalizeSeverity(text(vulnerability.Severity)),
        layer: resolve([text(layer.Digest), text(layer.DiffID)]),
        title: titleFrom(text(vulnerability.Title), text(vulnerability.Description)),
        type,
      })
    }
  }
  return details
}
