import type {AppliedItem} from '../cleanup/apply.js'
import {type PlanItem, summarizePlan} from '../cleanup/plan.js'
import {humanBytes} from './bytes.js'
import {shortDigest} from './digest.js'
import {renderTable} from './table.js'

/** Human rendering of a cleanup/deletion plan and of its outcomes (JSON is the plan itself, see docs/json/delete.md). */

const shortDate = (created: string | null) => (created ? created.replace('T', ' ').slice(0, 16) : '-')

export function renderPlanTable(items: AppliedItem[], options: {head: (text: string) => string; executed: boolean}): string {
  return renderTable(
    items,
    [
      {header: 'REPOSITORY', value: (row) => row.repository},
      {header: 'TAG', value: (row) => row.tag ?? '<none>'},
      {header: 'DIGEST', value: (row) => shortDigest(row.digest)},
      {header: 'CREATED', value: (row) => shortDate(row.created)},
      {header: 'SIZE', value: (row) => humanBytes(row.size), align: 'right'},
      {header: 'ACTION', value: (row) => row.action},
      ...(options.executed ? [{header: 'RESULT', value: (row: AppliedItem) => result(row)}] : []),
      {header: 'REASON', value: (row) => row.reason},
    ],
    {head: options.head},
  )
}

function result(row: AppliedItem): string {
  const {status, method, message} = row.outcome
  return [status, method ? `(${method})` : '', message ?? ''].filter(Boolean).join(' ')
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** One line: what the plan does ("delete 5 tags (7 manifests, 2.9 kB), untag 2 tags, keep 4"). */
export function planSummaryLine(items: PlanItem[]): string {
  const summary = summarizePlan(items)
  const manifests = new Map(
    items.filter((entry) => entry.action === 'delete').map((entry) => [`${entry.repository}@${entry.digest}`, entry.size]),
  )
  const bytes = [...manifests.values()].reduce((sum, size) => sum + size, 0)
  const parts = [
    ...(summary.deletedManifests > 0
      ? [
          `delete ${count(summary.deletedTags, 'tag', 'tags')} (${count(summary.deletedManifests, 'manifest', 'manifests')}, ${humanBytes(bytes)})`,
        ]
      : []),
    ...(summary.untagged > 0 ? [`untag ${count(summary.untagged, 'tag', 'tags')}`] : []),
    ...(summary.kept > 0 ? [`keep ${summary.kept}`] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : 'nothing to do'
}
