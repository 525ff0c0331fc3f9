import type {ChalkInstance} from 'chalk'

import {renderTable} from './table.js'
import type {DatabaseMeta} from '../scan/osv/store.js'

/** How long ago, in the unit a person would say it. */
function age(updated: string, now = Date.now()): string {
  const hours = (now - Date.parse(updated)) / 3_600_000
  if (!Number.isFinite(hours)) return 'unknown'
  return hours < 1 ? 'less than an hour' : hours < 48 ? `${Math.floor(hours)} hours` : `${Math.floor(hours / 24)} days`
}

/** The OSV database as a table (`scan db status`, and after `scan db update`). */
export function renderDatabaseStatus(directory: string, meta: DatabaseMeta, chalk: ChalkInstance): string {
  const rows = Object.entries(meta.ecosystems).sort(([a], [b]) => a.localeCompare(b))
  if (rows.length === 0) return `No OSV database in ${directory}: run \`reglens scan db update\`.`
  const table = renderTable(
    rows,
    [
      {header: 'ECOSYSTEM', value: ([name]) => name},
      {header: 'ADVISORIES', value: ([, status]) => String(status.entries), align: 'right'},
      {header: 'PACKAGES', value: ([, status]) => String(status.packages), align: 'right'},
      {header: 'UPDATED', value: ([, status]) => status.updated},
      {header: 'AGE', value: ([, status]) => age(status.updated)},
      {header: 'SOURCE', value: ([, status]) => status.source},
    ],
    {head: chalk.bold},
  )
  return `${table}\n\nDatabase: ${directory}`
}
