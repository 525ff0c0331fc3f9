import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveReference} from '../../config/resolve.js'
import {ReglensError} from '../../errors.js'
import {ContentCache} from '../../image/content-cache.js'
import {parsePlatformFilter} from '../../image/platform.js'
import {writeJson} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderScan} from '../../output/scan.js'
import {manifestReference} from '../../registry/reference.js'
import {findingsAtOrAbove} from '../../scan/report/result.js'
import {toSarif} from '../../scan/report/sarif.js'
import {type ScannerChoice, scanImage} from '../../scan/scan.js'
import type {Severity} from '../../scan/severity.js'

export default class Scan extends BaseCommand<typeof Scan> {
  static override description = `Scan an image for known vulnerabilities: totals per severity, per layer, and every finding.

Backends: trivy or grype when on PATH (--scanner auto prefers them), else the builtin offline scanner, which streams each layer, reads the package databases (dpkg, apk, rpm, npm, Python) and the build info of Go binaries and matches them against the local OSV database (\`reglens scan db update\`). --fail-on exits with code 14 when a finding at or above that severity exists (after printing the report), so a CI step fails on it; it also fails when packages were found but could not be checked (an OS without advisory data, an unreadable package database, a file past the scanner's bounds), unless --allow-unchecked. An image with nothing to check passes. Results are stored per registry and image digest; --cached reuses them. See docs/scan.md.`

  static override examples = [
    {
      description: 'Scan an image with the best available backend',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:1.0',
    },
    {
      description: 'Fail a CI step on critical or high findings, offline',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:1.0 --scanner builtin --fail-on high',
    },
    {
      description: 'Critical findings as JSON',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --json | jq \'.details[] | select(.severity == "critical")\'',
    },
    {
      description: 'SARIF for code scanning, one platform of a multi-platform image',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --platform linux/arm64 --sarif > scan.sarif',
    },
  ]

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
    const machine = this.flags.json || this.flags.sarif
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
    const {result, fromCache} = scanned
    if (this.flags.sarif) writeJson(process.stdout, toSarif(result, this.config.version))
    else if (this.flags.json) writeJson(process.stdout, result)
    else this.out(renderScan(result, this.stdoutChalk))
    if (!this.flags.quiet) {
      // The table lists what was not checked itself; JSON and SARIF readers get it on stderr too.
      if (machine) for (const warning of result.warnings) this.warnLine(warning)
      if (fromCache) process.stderr.write(`(stored result from ${result.scannedAt}; run without --cached to scan again)\n`)
    }
    const threshold = this.flags['fail-on'] as Severity | undefined
    if (threshold) {
      const failing = findingsAtOrAbove(result, threshold)
      if (failing.length > 0)
        throw new ReglensError(
          `${failing.length} ${failing.length === 1 ? 'vulnerability' : 'vulnerabilities'} at or above ${threshold} in ${result.registry}/${result.repository}@${result.imageDigest} (--fail-on ${threshold})`,
          'policyViolation',
        )
      // Fail closed: a gate cannot pass packages it never checked.
      if (result.unchecked.length > 0 && !this.flags['allow-unchecked'])
        throw new ReglensError(
          `${result.unchecked.length} ${result.unchecked.length === 1 ? 'item' : 'items'} in ${result.registry}/${result.repository}@${result.imageDigest} could not be checked (listed above): --fail-on ${threshold} cannot pass it (--allow-unchecked accepts that)`,
          'policyViolation',
        )
    }
    if (!machine && !this.flags.quiet && result.total === 0)
      process.stderr.write(
        result.unchecked.length === 0 ? 'No known vulnerabilities found.\n' : 'No known vulnerabilities found in what could be checked.\n',
      )
  }
}
