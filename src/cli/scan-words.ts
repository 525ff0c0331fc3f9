import {withCliHints} from './hints.js'
import type {ScanResult} from '../scan/report/result.js'

/**
 * A scan result as the command line shows it, in its table and its JSON: the library's hints in its
 * warnings and unchecked reasons become the CLI's commands and flags (a stored result keeps the library's
 * words, so a cached result reads the same).
 */
export function scanResultInCliWords(result: ScanResult): ScanResult {
  return {
    ...result,
    warnings: result.warnings.map(withCliHints),
    unchecked: result.unchecked.map((item) => ({...item, reason: withCliHints(item.reason)})),
  }
}
