/** Severity levels in the seed UI's summary order, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Rank for comparisons: critical 4 … unknown 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity)
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value)
}

/** Maps the words databases use (GHSA `MODERATE`, Debian urgencies, Trivy/Grype labels) to a level. */
export function normalizeSeverity(label: string | undefined): Severity {
  switch (label?.trim().toLowerCase()) {
    case 'critical':
      return 'critical'
    case 'high':
    case 'important':
      return 'high'
    case 'medium':
    case 'moderate':
      return 'medium'
    case 'low':
    case 'negligible':
    case 'unimportant':
      return 'low'
    default:
      return 'unknown'
  }
}

/** The CVSS v3/v4 qualitative rating of a base score. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'unknown'
}
