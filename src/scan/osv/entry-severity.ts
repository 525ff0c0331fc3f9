import {cvssBaseScore} from './cvss.js'
import type {OsvAffected, OsvEntry} from './schema.js'
import {normalizeSeverity, type Severity, severityOfScore} from '../severity.js'

/**
 * An entry's severity for one affected package: the database's own label when it gives one
 * (GHSA `database_specific.severity`, per-package labels), else the rating of its CVSS v3 (then v4) base score.
 */
export function entrySeverity(entry: OsvEntry, affected?: OsvAffected): Severity {
  for (const label of [affected?.severity, entry.databaseSeverity]) {
    const severity = normalizeSeverity(label)
    if (severity !== 'unknown') return severity
  }
  for (const type of ['CVSS_V3', 'CVSS_V4']) {
    for (const item of entry.severity.filter((candidate) => candidate.type === type)) {
      const score = cvssBaseScore(item.score)
      if (score !== undefined) return severityOfScore(score)
    }
  }
  return 'unknown'
}
