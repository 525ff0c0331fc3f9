import {ReglensError} from '../errors.js'
import {findingsAtOrAbove, type ScanResult} from '../scan/report/result.js'
import type {Severity} from '../scan/severity.js'

/**
 * `scan --fail-on`: ends the run with exit 14 when a finding at or above the threshold exists, or
 * (failing closed: a gate cannot pass packages it never checked) when something could not be checked,
 * unless --allow-unchecked.
 */
export function checkFailOn(result: ScanResult, threshold: Severity, options: {allowUnchecked: boolean}): void {
  const image = `${result.registry}/${result.repository}@${result.imageDigest}`
  const failing = findingsAtOrAbove(result, threshold)
  if (failing.length > 0)
    throw new ReglensError(
      `${failing.length} ${failing.length === 1 ? 'vulnerability' : 'vulnerabilities'} at or above ${threshold} in ${image} (--fail-on ${threshold})`,
      'policyViolation',
    )
  if (result.unchecked.length > 0 && !options.allowUnchecked)
    throw new ReglensError(
      `${result.unchecked.length} ${result.unchecked.length === 1 ? 'item' : 'items'} in ${image} could not be checked (listed above): --fail-on ${threshold} cannot pass it (--allow-unchecked accepts that)`,
      'policyViolation',
    )
}
