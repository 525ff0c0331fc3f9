import type {ChalkInstance} from 'chalk'

import {renderScan} from './scan.js'
import type {ScanResult} from '../scan/report/result.js'
import {toSarif} from '../scan/report/sarif.js'

/** What `scan` prints, in the order it prints it: the report, then stderr lines (docs/json/scan.md for --json). */
export interface ScanReport {
  stdout: string
  /** The scan's warnings, for readers of JSON and SARIF (the table lists them itself). */
  warnings: string[]
  /** Notices on stderr right after the report. */
  notes: string[]
  /** The closing line when nothing was found (after a --fail-on gate has passed). */
  closing?: string
}

export function renderScanReport(
  scanned: {result: ScanResult; fromCache: boolean},
  options: {format: 'table' | 'json' | 'sarif'; quiet: boolean; chalk: ChalkInstance; version: string},
): ScanReport {
  const {result, fromCache} = scanned
  const machine = options.format !== 'table'
  const stdout =
    options.format === 'sarif'
      ? `${JSON.stringify(toSarif(result, options.version), null, 2)}\n`
      : options.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : renderScan(result, options.chalk)
  const report: ScanReport = {stdout, warnings: [], notes: []}
  if (options.quiet) return report
  if (machine) report.warnings = result.warnings
  if (fromCache) report.notes.push(`(stored result from ${result.scannedAt}; run without --cached to scan again)`)
  if (!machine && result.total === 0)
    report.closing =
      result.unchecked.length === 0 ? 'No known vulnerabilities found.' : 'No known vulnerabilities found in what could be checked.'
  return report
}
