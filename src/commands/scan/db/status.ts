import type {ChalkInstance} from 'chalk'

import {BaseCommand} from '../../../cli/base-command.js'
import {writeJson} from '../../../output/json.js'
import {renderTable} from '../../../output/table.js'
import {osvDirectory} from '../../../scan/paths.js'
import {type DatabaseMeta, readMeta} from '../../../scan/osv/store.js'

function age(updated: string, now = Date.now()): string {
  const hours = (now - Date.parse(updated)) / 3_600_000
  if (!Number.isFinite(hours)) return 'unknown'
  return hours < 1 ? 'less than an hour' : hours < 48 ? `${Math.floor(hours)} hours` : `${Math.floor(hours / 24)} days`
}

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

export default class ScanDbStatus extends BaseCommand<typeof ScanDbStatus> {
  static override description = 'Show the local OSV database: advisories and packages per ecosystem, when each was updated, and from where.'

  static override examples = [
    {description: 'What the builtin scanner knows', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Fail a script when the Debian data is older than a day', command: "<%= config.bin %> <%= command.id %> --json | jq -e '.ecosystems.Debian.updated | fromdate > now - 86400'"},
  ]

  async run(): Promise<void> {
    const directory = osvDirectory()
    const meta = await readMeta(directory)
    if (this.flags.json) writeJson(process.stdout, {directory, ecosystems: meta.ecosystems})
    else this.out(renderDatabaseStatus(directory, meta, this.stdoutChalk))
  }
}
