import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {description, examples} from '../cli/help/report.js'
import {readPolicy} from '../cleanup/policy-file.js'
import {resolveRegistry} from '../config/resolve.js'
import {ContentCache} from '../image/content-cache.js'
import {writeFileAtomic} from '../output/atomic-file.js'
import {humanBytes} from '../output/bytes.js'
import {writeJson} from '../output/json.js'
import {startProgress} from '../output/progress.js'
import {renderPrometheus} from '../output/prometheus.js'
import {renderReportHtml} from '../output/report-html.js'
import {renderReportSummary} from '../output/report-text.js'
import {listRepositories} from '../registry/catalog.js'
import {filterStream} from '../registry/stream.js'
import {buildReport} from '../report/build.js'
import type {ScannerChoice} from '../scan/scan.js'

export default class Report extends BaseCommand<typeof Report> {
  static override description = description

  static override examples = examples

  static override flags = {
    html: Flags.string({description: 'Write the report as one self-contained HTML page to this file.'}),
    prometheus: Flags.string({
      description: "Write the metrics in Prometheus text format to this file (for node_exporter's textfile collector).",
    }),
    policy: Flags.string({description: 'Cleanup policy YAML (as `image delete --policy`): report what it would free per repository.'}),
    scan: Flags.boolean({description: 'Scan the images that have no stored scan result (slow: reads every layer).'}),
    scanner: Flags.string({
      options: ['auto', 'trivy', 'grype', 'builtin'],
      default: 'auto',
      description: 'With --scan: the backend (as `scan --scanner`).',
    }),
    storage: Flags.string({description: 'Filesystem storage root of this registry (on its host, read only): list untagged manifests.'}),
    filter: Flags.string({description: 'Only repositories whose name matches this regular expression.'}),
    top: Flags.integer({
      min: 1,
      max: 10_000,
      default: 100,
      description: 'Repositories listed one by one in the HTML page (the rest are summed in one row).',
    }),
  }

  async run(): Promise<void> {
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const policy = this.flags.policy ? {path: this.flags.policy, rules: readPolicy(this.flags.policy)} : undefined
    const endpoint = resolveRegistry(this.targetOptions())
    const client = await this.clientFor(endpoint)
    const cache = new ContentCache(client, {concurrency: this.flags.concurrency})
    const names = filterStream(listRepositories(client), filter ? {match: (name: string) => filter.test(name)} : {})
    const progress = startProgress(`Reading ${endpoint.host}`, {quiet: this.flags.quiet})
    const report = await buildReport(cache, names, {
      ...(policy ? {policy} : {}),
      ...(this.flags.storage ? {storage: this.flags.storage} : {}),
      scans: {
        ...(this.flags.scan ? {scan: this.flags.scanner as ScannerChoice} : {}),
        onScan: (image, platform) => progress.update(`Scanning ${image.repository}@${image.digest.slice(0, 19)} (${platform})`),
      },
      onRepository: (done, name) => progress.update(`Reading ${endpoint.host}: ${done} repositories (${name})`),
    }).finally(() => progress.stop())

    if (this.flags.html) await this.writeOutput(this.flags.html, renderReportHtml(report, {top: this.flags.top}), 'page')
    if (this.flags.prometheus) await this.writeOutput(this.flags.prometheus, renderPrometheus(report), 'metrics')
    if (this.flags.json) writeJson(process.stdout, report)
    else this.out(renderReportSummary(report, {head: this.stdoutChalk.bold}))
    if (!this.flags.quiet) for (const warning of report.warnings) this.warnLine(warning)
    this.failPartially(
      report.failed.map((failure) => `${failure.repository}:${failure.tag}: ${failure.error}`),
      report.totals.tags,
      'tags could not be described',
    )
  }

  private async writeOutput(path: string, text: string, what: string): Promise<void> {
    await writeFileAtomic(path, text, what === 'metrics' ? '--prometheus' : '--html')
    if (!this.flags.quiet) process.stderr.write(`wrote ${what} to ${path} (${humanBytes(Buffer.byteLength(text))})\n`)
  }
}
