import type {Log, ReportingDescriptor, Result} from 'sarif'

import type {ScanDetail, ScanResult} from './result.js'
import type {Severity} from '../severity.js'

/** SARIF levels and GitHub code scanning's `security-severity` (a CVSS-like score) per severity. */
const LEVEL: Record<Severity, Result.level> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'note'}
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  unknown: undefined,
}

function ruleOf(detail: ScanDetail): ReportingDescriptor {
  const score = SECURITY_SEVERITY[detail.severity]
  return {
    id: detail.id,
    shortDescription: {text: detail.title || detail.id},
    defaultConfiguration: {level: LEVEL[detail.severity]},
    properties: {tags: ['security', 'vulnerability', detail.severity], ...(score ? {'security-severity': score} : {})},
  }
}

/**
 * The result as SARIF 2.1.0: one rule per vulnerability id, one result per affected package. The
 * location is the image (by digest): a registry image has no source file to point at.
 */
export function toSarif(result: ScanResult, toolVersion: string): Log {
  const rules: ReportingDescriptor[] = []
  const ruleIndex = new Map<string, number>()
  for (const detail of result.details) {
    if (!ruleIndex.has(detail.id)) {
      ruleIndex.set(detail.id, rules.length)
      rules.push(ruleOf(detail))
    }
  }
  const image = `${result.registry}/${result.repository}@${result.imageDigest}`
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {driver: {name: 'reglens', informationUri: 'https://github.com/reglens/reglens', version: toolVersion, rules}},
        properties: {scanner: result.scanner, image, platform: result.platform},
        results: result.details.map((detail) => ({
          ruleId: detail.id,
          ruleIndex: ruleIndex.get(detail.id)!,
          level: LEVEL[detail.severity],
          message: {
            text: `${detail.package} ${detail.installedVersion} is affected by ${detail.id} (${detail.severity})${detail.fixedVersion ? `; fixed in ${detail.fixedVersion}` : '; no fix known'}${detail.title ? `: ${detail.title}` : ''}`,
          },
          locations: [
            {
              physicalLocation: {artifactLocation: {uri: image}},
              logicalLocations: [{name: detail.layer || 'unknown layer', kind: 'layer'}],
            },
          ],
          partialFingerprints: {packageVulnerability: `${detail.id}/${detail.type}/${detail.package}@${detail.installedVersion}`},
          properties: {
            package: detail.package,
            installedVersion: detail.installedVersion,
            fixedVersion: detail.fixedVersion,
            severity: detail.severity,
            layer: detail.layer,
            type: detail.type,
          },
        })),
      },
    ],
  }
}
