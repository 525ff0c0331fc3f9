import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
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
  static override description = `Registry usage in one pass: a self-contained HTML page, a Prometheus textfile and a JSON document.

Sizes every repository exactly as \`repos list --size\` does (the same manifest requests, each digest once, plus each distinct image config for its created date) and reports totals (repositories, tags, images, unique bytes, bytes shared between repositories), each repository's size, tags and images, bytes by image age (older than 30, 90, 365 days), the largest images, stored scan results per image, and with --policy what a cleanup would free per repository. Untagged manifests cannot be listed through the registry API: --storage reads them from the registry's filesystem storage on its host. Files are written whole (a temp file renamed over the target). See docs/report.md.`

  static override examples = [
    {
      description: "A page to publish as a CI artifact and a file for node_exporter's textfile collector",
      command:
        '<%= config.bin %> <%= command.id %> --registry localhost:5000 --html report.html --prometheus /var/lib/node_exporter/textfile/reglens.prom',
    },
    {
      description: 'What a cleanup policy would free, per repository',
      command: '<%= config.bin %> <%= command.id %> -r prod --policy cleanup.yaml --html report.html',
    },
    {
      description: 'The whole report as JSON: the ten largest repositories',
      command: "<%= config.bin %> <%= command.id %> -r localhost:5000 --json | jq '.repositories[:10][] | {name, size}'",
    },
    {
      description: 'Scan every image without a stored scan result, then report',
      command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --scan --scanner builtin --html report.html',
    },
    {
      description: 'On the registry host: include untagged manifests',
      command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --storage /var/lib/docker-registry --html report.html',
    },
  ]

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
