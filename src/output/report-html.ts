import {createHash} from 'node:crypto'

import {humanBytes} from './bytes.js'
import {html, Html} from './html.js'
import {REPORT_CSS, REPORT_JS} from './report-assets.js'
import {type Bar, barChart} from './report-chart.js'
import type {ImageReport, RegistryReport, RepositoryReport, ScanSummary} from '../report/model.js'
import {SEVERITIES} from '../scan/severity.js'

export interface HtmlOptions {
  /** Repositories listed one by one (the rest summed in one row); also caps the other long lists. */
  top?: number
  /** Bars in the chart (the rest summed in one bar). */
  bars?: number
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/** A number cell: human text, exact value for sorting and in the tooltip. */
const bytesCell = (bytes: number) => html`<td class="num" data-value="${bytes}" title="${bytes} bytes">${humanBytes(bytes)}</td>`
const countCell = (count: number) => html`<td class="num" data-value="${count}">${count}</td>`
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

function totalsSection(report: RegistryReport): Html {
  const totals = report.totals
  const card = (label: string, value: string, title = '') => html`<div title="${title}"><dt>${label}</dt><dd>${value}</dd></div>`
  return html`<dl class="totals">${[
    card('Repositories', String(totals.repositories)),
    card('Tags', String(totals.tags)),
    card('Images', String(totals.images)),
    card('Unique size', humanBytes(totals.size), `${totals.size} bytes in ${totals.blobs} blobs`),
    card('Shared between repositories', humanBytes(totals.sharedSize), `${totals.sharedSize} bytes`),
    ...(report.cleanup ? [card('Policy would free', humanBytes(report.cleanup.reclaimable), `${report.cleanup.reclaimable} bytes`)] : []),
  ]}</dl>`
}

function repositoriesSection(report: RegistryReport, top: number, bars: number): Html {
  const repositories = report.repositories
  const chartBars: Bar[] = repositories.slice(0, bars).map((repository) => ({label: repository.name, value: repository.size}))
  const restOfChart = repositories.slice(bars)
  if (restOfChart.length > 0)
    chartBars.push({
      label: `${restOfChart.length} others`,
      value: restOfChart.reduce((sum, repository) => sum + repository.size, 0),
      rest: true,
    })
  const policy = report.cleanup !== null
  const reclaimCell = (repository: RepositoryReport) =>
    repository.reclaimable === null || repository.reclaimable === undefined
      ? html`<td class="num" data-value="-1">&ndash;</td>`
      : bytesCell(repository.reclaimable)
  const rows = repositories
    .slice(0, top)
    .map(
      (repository) =>
        html`<tr><td class="name">${repository.name}</td>${countCell(repository.tags)}${countCell(repository.images)}${bytesCell(repository.size)}${policy ? reclaimCell(repository) : html``}</tr>`,
    )
  const rest = repositories.slice(top)
  const sum = (value: (repository: RepositoryReport) => number) => rest.reduce((total, repository) => total + value(repository), 0)
  const foot =
    rest.length === 0
      ? html``
      : html`<tfoot><tr><td>${rest.length} other ${rest.length === 1 ? 'repository' : 'repositories'} (see --json)</td><td class="num">${sum((r) => r.tags)}</td><td class="num">${sum((r) => r.images)}</td><td class="num">${humanBytes(sum((r) => r.size))}</td>${policy ? html`<td class="num">${humanBytes(sum((r) => r.reclaimable ?? 0))}</td>` : html``}</tr></tfoot>`
  return html`<section id="repositories"><h2>Repositories by unique size</h2>
<p class="note">Each repository's distinct blobs (configs and layers of every tag and platform), as <code>reglens repos list --size</code>; base layers that repositories share count in each of them, and once in the total.</p>
${repositories.length === 0 ? html`<p class="note">No repositories.</p>` : barChart(chartBars, 'Repositories by unique size')}
<table data-sortable id="repository-table"><thead><tr><th>Repository</th><th class="num">Tags</th><th class="num">Images</th><th class="num" aria-sort="descending">Unique size</th>${policy ? html`<th class="num" title="Bytes garbage collection frees once the policy's cleanup has run (manifests included)">Policy frees</th>` : html``}</tr></thead>
<tbody>${rows}</tbody>${foot}</table></section>`
}

function ageSection(report: RegistryReport): Html {
  const rows = report.age.buckets.map(
    (bucket) =>
      html`<tr><td>older than ${bucket.olderThanDays} days</td>${bytesCell(bucket.size)}${countCell(bucket.blobs)}<td class="num">${report.totals.size === 0 ? '0' : ((bucket.size / report.totals.size) * 100).toFixed(1)} %</td></tr>`,
  )
  return html`<section id="age"><h2>Image age</h2>
<p class="note">A blob is as old as the newest image (config <code>created</code>) that uses it: a base layer that a recent image still uses is not old.</p>
<table><thead><tr><th>Age</th><th class="num">Bytes</th><th class="num">Blobs</th><th class="num">Share of total</th></tr></thead><tbody>${rows}<tr><td>unknown (undated images)</td>${bytesCell(report.age.undatedSize)}<td class="num">&ndash;</td><td class="num">${report.totals.size === 0 ? '0' : ((report.age.undatedSize / report.totals.size) * 100).toFixed(1)} %</td></tr></tbody></table></section>`
}

function imageName(image: ImageReport, maxTags = 5): Html {
  const tags =
    image.tags.length > maxTags ? `${image.tags.slice(0, maxTags).join(', ')} +${image.tags.length - maxTags}` : image.tags.join(', ')
  return html`${image.repository}<br><code title="${image.digest}">${image.digest.slice(0, 19)}</code> ${tags}`
}

function largestSection(report: RegistryReport): Html {
  const rows = report.largestImages.map(
    (image) =>
      html`<tr><td class="name">${imageName(image)}</td><td>${image.kind}</td><td>${image.platforms.map((platform) => platform.platform).join(', ')}</td><td data-value="${image.created ?? ''}">${image.created ? image.created.slice(0, 10) : 'undated'}</td>${bytesCell(image.size)}</tr>`,
  )
  return html`<section id="largest"><h2>Largest images</h2>
${rows.length === 0 ? html`<p class="note">No images.</p>` : html`<table data-sortable><thead><tr><th>Image</th><th>Kind</th><th>Platforms</th><th>Created</th><th class="num" aria-sort="descending">Size</th></tr></thead><tbody>${rows}</tbody></table>`}</section>`
}

function untaggedSection(report: RegistryReport, top: number): Html {
  const untagged = report.untagged
  const body = !untagged
    ? html`<p class="note">Not read: the registry API cannot list manifests that no tag points at. On the registry host, <code>reglens report --storage DIR</code> reads them from its storage.</p>`
    : untagged.manifests.length === 0
      ? html`<p class="note">None: every manifest is tagged or a platform of a tagged index.</p>`
      : html`<p class="note">${plural(untagged.manifests.length, 'manifest')} that no tag reaches hold ${humanBytes(untagged.size)} that garbage collection frees once they are deleted (by digest: <code>reglens image delete REPO@DIGEST</code>).</p>
<table><thead><tr><th>Repository</th><th>Digest</th></tr></thead><tbody>${untagged.manifests.slice(0, top).map((entry) => html`<tr><td class="name">${entry.repository}</td><td><code>${entry.digest}</code></td></tr>`)}</tbody>${untagged.manifests.length > top ? html`<tfoot><tr><td colspan="2">${untagged.manifests.length - top} more (see --json)</td></tr></tfoot>` : html``}</table>`
  return html`<section id="untagged"><h2>Untagged manifests</h2>${body}
<h3>Orphaned referrers</h3>${orphansOf(report, top)}</section>`
}

function orphansOf(report: RegistryReport, top: number): Html {
  const orphans = report.orphanedReferrers
  if (orphans.length === 0)
    return html`<p class="note">None: every tagged signature, attestation and SBOM (cosign tags, OCI 1.1 <code>subject</code>) has its image. Untagged referrers are not looked for.</p>`
  const rows = orphans
    .slice(0, top)
    .map(
      (orphan) =>
        html`<tr><td class="name">${orphan.repository}</td><td class="name">${orphan.tag}</td><td><code title="${orphan.subject}">${orphan.subject.slice(0, 19)}</code></td>${bytesCell(orphan.size)}</tr>`,
    )
  return html`<p class="note">${plural(orphans.length, 'tagged referrer')} whose image is gone.</p><table data-sortable><thead><tr><th>Repository</th><th>Tag</th><th>Missing subject</th><th class="num">Size</th></tr></thead><tbody>${rows}</tbody>${orphans.length > top ? html`<tfoot><tr><td colspan="4">${orphans.length - top} more (see --json)</td></tr></tfoot>` : html``}</table>`
}

function cleanupSection(report: RegistryReport): Html {
  const cleanup = report.cleanup
  if (!cleanup)
    return html`<section id="cleanup"><h2>Cleanup policy</h2><p class="note">No policy given: <code>reglens report --policy cleanup.yaml</code> shows what it would free per repository.</p></section>`
  return html`<section id="cleanup"><h2>Cleanup policy</h2>
<p>Policy <code>${cleanup.policy}</code> would delete ${plural(cleanup.deletedManifests, 'manifest')} (${plural(cleanup.deletedTags, 'tag')}) and untag ${plural(cleanup.untaggedTags, 'tag')}; garbage collection then frees <strong>${humanBytes(cleanup.reclaimable)}</strong> (${cleanup.reclaimable} bytes). Per repository: the "Policy frees" column above. Preview it with <code>reglens image delete --policy FILE --dry-run</code>.</p></section>`
}

function severityCells(scan: ScanSummary): Html {
  if ('error' in scan) return html`<td colspan="${SEVERITIES.length + 1}">could not scan: ${scan.error}</td>`
  return html`${SEVERITIES.map((severity) => html`<td class="${`num ${scan[severity] > 0 ? severity : ''}`}" data-value="${scan[severity]}">${scan[severity]}</td>`)}${countCell(scan.total)}`
}

function scansSection(report: RegistryReport, top: number): Html {
  const rows = report.images.flatMap((image) => image.scans.map((scan) => ({image, scan})))
  const weight = ({scan}: (typeof rows)[number]) =>
    'error' in scan ? -1 : scan.critical * 1e9 + scan.high * 1e6 + scan.medium * 1e3 + scan.low
  rows.sort((a, b) => weight(b) - weight(a))
  const shown = rows
    .slice(0, top)
    .map(
      ({image, scan}) =>
        html`<tr><td class="name">${imageName(image, 3)}</td><td>${scan.platform}</td><td>${'error' in scan ? '' : `${scan.scanner}, ${scan.scannedAt.slice(0, 10)}`}${'error' in scan || scan.warnings.length === 0 ? html`` : html`<br><span class="note" title="${scan.warnings.join('\n')}">${plural(scan.warnings.length, 'warning')}</span>`}</td>${severityCells(scan)}</tr>`,
    )
  const scanned = new Set(rows.map((row) => row.image)).size
  return html`<section id="scans"><h2>Vulnerabilities</h2>
${
  rows.length === 0
    ? html`<p class="note">No stored scan results for these images: <code>reglens scan REF</code> stores one, or <code>reglens report --scan</code> scans every image without one.</p>`
    : html`<p class="note">Stored scan results of ${plural(scanned, 'image')} of ${report.images.length} (the newest result of any scanner per platform), most severe first.</p>
<table data-sortable><thead><tr><th>Image</th><th>Platform</th><th>Scanner</th>${SEVERITIES.map((severity) => html`<th class="num">${severity}</th>`)}<th class="num">Total</th></tr></thead><tbody>${shown}</tbody>${rows.length > top ? html`<tfoot><tr><td colspan="${SEVERITIES.length + 4}">${rows.length - top} more results (see --json)</td></tr></tfoot>` : html``}</table>`
}</section>`
}

/**
 * The report as one self-contained HTML page: inline CSS, script and SVG, nothing fetched (a
 * Content-Security-Policy allows only the page's own style and script, by hash). Tables are
 * server-sorted and readable without JavaScript; the script only adds sorting on click.
 */
export function renderReportHtml(report: RegistryReport, options: HtmlOptions = {}): string {
  const top = options.top ?? 100
  const bars = options.bars ?? 25
  const policy = `default-src 'none'; style-src ${sha256(REPORT_CSS)}; script-src ${sha256(REPORT_JS)}; img-src data:; base-uri 'none'; form-action 'none'`
  const failed =
    report.failed.length > 0
      ? html`<p class="note critical">${plural(report.failed.length, 'tag')} could not be read and are left out (see --json).</p>`
      : html``
  const warnings = report.warnings.map((warning) => html`<p class="note">${warning}</p>`)
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Registry report: ${report.registry}</title>
<style>${new Html(REPORT_CSS)}</style></head>
<body>
<header><h1>Registry report: ${report.registry}</h1><p class="meta">Generated ${report.generatedAt.replace('T', ' ').slice(0, 19)} UTC by reglens report. Sizes are exact compressed bytes, SI units (1 MB = 10<sup>6</sup> bytes).</p>${failed}${warnings}</header>
${totalsSection(report)}
${repositoriesSection(report, top, bars)}
${ageSection(report)}
${largestSection(report)}
${cleanupSection(report)}
${untaggedSection(report, top)}
${scansSection(report, top)}
<script>${new Html(REPORT_JS)}</script>
</body></html>
`
  return page.text
}
