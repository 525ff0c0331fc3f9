import {layerResolver, type LayerIds, titleFrom} from './layer-map.js'
import type {ScanDetail} from '../report/result.js'
import {normalizeSeverity} from '../severity.js'
import {ReglensError} from '../../errors.js'

/**
 * Grype's `-o json` report: `matches[]`, each a `vulnerability` (id, severity, description, fix
 * versions) and the matched `artifact` (name, version, type, locations with the layer's diff_id).
 */
type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

export function parseGrypeReport(json: string, layers: readonly LayerIds[]): ScanDetail[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    throw new ReglensError('grype printed a report that is not JSON', 'badResponse')
  }
  if (!isObject(doc) || !Array.isArray(doc.matches)) throw new ReglensError('grype report has no matches list', 'badResponse')
  const resolve = layerResolver(layers)
  const details: ScanDetail[] = []
  for (const match of doc.matches) {
    if (!isObject(match) || !isObject(match.vulnerability) || !isObject(match.artifact)) continue
    const {vulnerability, artifact} = match
    if (!text(vulnerability.id) || !text(artifact.name)) continue
    const fix = isObject(vulnerability.fix) ? vulnerability.fix : {}
    const related = list(match.relatedVulnerabilities).filter(isObject)
    details.push({
      id: text(vulnerability.id),
      package: text(artifact.name),
      installedVersion: text(artifact.version),
      // Grype lists every version that fixes it (one per release line, when there are several): all are kept.
      fixedVersion: list(fix.versions)
        .filter((version): version is string => typeof version === 'string')
        .join(', '),
      severity: normalizeSeverity(text(vulnerability.severity)),
      layer: resolve(
        list(artifact.locations)
          .filter(isObject)
          .map((location) => text(location.layerID)),
      ),
      title: titleFrom(text(vulnerability.description), ...related.map((entry) => text(entry.description))),
      type: text(artifact.type),
    })
  }
  return details
}
