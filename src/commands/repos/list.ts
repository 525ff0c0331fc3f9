import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRegistry} from '../../config/resolve.js'
import {writeJsonStream} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {listRepositories} from '../../registry/catalog.js'
import {filterStream} from '../../registry/stream.js'

export default class ReposList extends BaseCommand<typeof ReposList> {
  static override description = 'List the repositories of a registry (its _catalog), following every page.'

  static override examples = [
    {description: 'Every repository of a local registry', command: '<%= config.bin %> <%= command.id %> --registry localhost:5000'},
    {description: 'Repositories under team/, as JSON names', command: "<%= config.bin %> <%= command.id %> -r localhost:5000 --filter '^team/' --json | jq -r '.repositories[].name'"},
    {description: 'The first 10 repositories of a configured registry', command: '<%= config.bin %> <%= command.id %> --registry prod --limit 10'},
  ]

  static override flags = {
    filter: Flags.string({description: 'Only repositories whose name matches this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Stop after this many repositories.'}),
    'page-size': Flags.integer({min: 1, max: 1000, default: 1000, description: 'Repositories asked for per page (registries reject more than 1000).'}),
  }

  async run(): Promise<void> {
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const endpoint = resolveRegistry(this.targetOptions())
    const client = this.clientFor(endpoint)
    const names = filterStream(listRepositories(client, {pageSize: this.flags['page-size']}), {
      ...(filter ? {match: (name: string) => filter.test(name)} : {}),
      ...(this.flags.limit ? {limit: this.flags.limit} : {}),
    })
    const repositories = (async function* () {
      for await (const name of names) yield {name}
    })()
    if (this.flags.json) {
      await writeJsonStream(process.stdout, {registry: endpoint.host}, 'repositories', repositories)
      return
    }
    const progress = startProgress(`Listing repositories of ${endpoint.host}`, {quiet: this.flags.quiet})
    const rows: {name: string}[] = []
    try {
      for await (const row of repositories) {
        rows.push(row)
        if (rows.length % 1000 === 0) progress.update(`Listing repositories of ${endpoint.host}: ${rows.length}`)
      }
    } finally {
      progress.stop()
    }
    const chalk = this.stdoutChalk
    if (rows.length > 0) this.out(renderTable(rows, [{header: 'REPOSITORY', value: (row) => row.name}], {head: chalk.bold}))
    if (!this.flags.quiet) process.stderr.write(`${rows.length} ${rows.length === 1 ? 'repository' : 'repositories'} on ${endpoint.host}\n`)
  }
}
