import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {description, examples} from '../../cli/help/scan.js'
import {checkFailOn} from '../../cli/scan-gate.js'
import {scanResultInCliWords} from '../../cli/scan-words.js'
import {resolveReference} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {parsePlatformFilter} from '../../image/platform.js'
import {startProgress} from '../../output/progress.js'
import {renderScanReport} from '../../output/scan-report.js'
import {manifestReference} from '../../registry/reference.js'
import {type ScannerChoice, scanImage} from '../../scan/scan.js'
import type {Severity} from '../../scan/severity.js'

export default class Scan extends BaseCommand<typeof Scan> {
  static override description = description

  static override examples = examples

  static override args = {
    ref: Args.string({required: true, description: 'Image reference: [host[:port]/]path[:tag][@digest] (tag defaults to latest)'}),
  }

  static override flags = {
    scanner: Flags.string({
      options: ['auto', 'trivy', 'grype', 'builtin'],
      default: 'auto',
      description: 'Backend: trivy, grype (binaries on PATH), builtin (offline, OSV database), or auto (trivy, then grype, then builtin).',
    }),
    platform: Flags.string({
      description: "Platform of a multi-platform image: os/arch[/variant] (default: the only one, else this machine's).",
    }),
    'fail-on': Flags.string({
      options: ['critical', 'high', 'medium', 'low'],
      description: 'Exit with code 14 when a finding at or above this severity exists, or when packages were found but not checked.',
    }),
    'allow-unchecked': Flags.boolean({
      dependsOn: ['fail-on'],
      description: 'With --fail-on: do not fail on what could not be checked (it is still listed).',
    }),
    sarif: Flags.boolean({exclusive: ['json'], description: 'Print SARIF 2.1.0 instead of a table.'}),
    cached: Flags.boolean({description: 'Reuse the stored result for this registry and image digest, if any.'}),
  }

  async run(): Promise<void> {
    const platform = this.flags.platform === undefined ? undefined : parsePlatformFilter(this.flags.platform)
    const {endpoint, target} = resolveReference(this.args.ref, this.targetOptions())
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const progress = startProgress(`Scanning ${this.args.ref}`, {quiet: this.flags.quiet})
    let done = 0
    // trivy and grype pull the image themselves: they get the same credentials, through their environment.
    const credential = this.flags.scanner === 'builtin' ? undefined : await this.credentialSource.lookup(endpoint)
    let scanned
    try {
      scanned = await scanImage(cache, target, manifestReference(target), {
        ...(credential?.username && credential.password
          ? {credentials: {username: credential.username, password: credential.password}}
          : {}),
        scanner: this.flags.scanner as ScannerChoice,
        ...(platform ? {platform} : {}),
        cached: this.flags.cached,
        concurrency: Math.min(this.flags.concurrency, 4),
        onLayer: (layer, source) =>
          progress.update(`Scanning ${this.args.ref}: ${++done} layers read (${layer.digest.slice(7, 19)} from ${source})`),
      })
    } finally {
      progress.stop()
    }
    const report = renderScanReport(
      {...scanned, result: scanResultInCliWords(scanned.result)},
      {
        format: this.flags.sarif ? 'sarif' : this.flags.json ? 'json' : 'table',
        quiet: this.flags.quiet,
        chalk: this.stdoutChalk,
        version: this.config.version,
      },
    )
    this.out(report.stdout)
    for (const warning of report.warnings) this.warnLine(warning)
    for (const note of report.notes) process.stderr.write(`${note}\n`)
    const threshold = this.flags['fail-on'] as Severity | undefined
    if (threshold) checkFailOn(scanned.result, threshold, {allowUnchecked: this.flags['allow-unchecked']})
    if (report.closing) process.stderr.write(`${report.closing}\n`)
  }
}
