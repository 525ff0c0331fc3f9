import {humanBytes} from './bytes.js'
import {renderTable} from './table.js'
import type {RegistryReport} from '../report/model.js'

/** The terminal view of a report: totals, then the largest repositories (the HTML page has the rest). */
export function renderReportSummary(report: RegistryReport, style: {head: (text: string) => string}, top = 10): string {
  const totals = report.totals
  const lines = [
    `${report.registry}: ${totals.repositories} repositories, ${totals.tags} tags, ${totals.images} images, ${humanBytes(totals.size)} (${humanBytes(totals.sharedSize)} shared between repositories)`,
    `older than ${report.age.buckets.map((bucket) => `${bucket.olderThanDays} days: ${humanBytes(bucket.size)}`).join(', ')}; undated: ${humanBytes(report.age.undatedSize)}`,
  ]
  if (report.cleanup)
    lines.push(
      `policy ${report.cleanup.policy} would free ${humanBytes(report.cleanup.reclaimable)} (${report.cleanup.deletedManifests} manifests deleted, ${report.cleanup.untaggedTags} tags untagged)`,
    )
  if (report.untagged)
    lines.push(`untagged manifests: ${report.untagged.manifests.length}, holding ${humanBytes(report.untagged.size)} that no tag uses`)
  const shown = report.repositories.slice(0, top)
  if (shown.length > 0) {
    const reclaimable = report.cleanup
      ? [
          {
            header: 'RECLAIMABLE',
            value: (row: (typeof shown)[number]) =>
              row.reclaimable === null || row.reclaimable === undefined ? '-' : humanBytes(row.reclaimable),
            align: 'right' as const,
          },
        ]
      : []
    lines.push(
      '',
      renderTable(
        shown,
        [
          {header: 'REPOSITORY', value: (row) => row.name},
          {header: 'TAGS', value: (row) => String(row.tags), align: 'right'},
          {header: 'IMAGES', value: (row) => String(row.images), align: 'right'},
          {header: 'SIZE', value: (row) => humanBytes(row.size), align: 'right'},
          ...reclaimable,
        ],
        style,
      ),
    )
    if (report.repositories.length > top) lines.push(`… and ${report.repositories.length - top} more repositories (see --html or --json)`)
  }
  return lines.join('\n')
}
