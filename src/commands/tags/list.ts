import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRepository} from '../../config/resolve.js'
import {writeJsonStream} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {filterStream} from '../../registry/stream.js'
import {sortTags} from '../../registry/tag-order.js'
import {listTags} from '../../registry/tags.js'

export default class TagsList extends BaseCommand<typeof TagsList> {
  static override description = 'List the tags of a repository, following every page, sorted by name or semantic version.'

  static override examples = [
    {description: 'Tags of a repository on a local registry', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api'},
    {description: 'Release tags, newest version last, as JSON', command: "<%= config.bin %> <%= command.id %> team/app --registry prod --filter '^v' --sort semver --json | jq -r '.tags[].name'"},
  ]

  static override args = {
    repo: Args.string({required: true, description: 'Repository, optionally with a registry host: [host[:port]/]path'}),
  }

  static override flags = {
    sort: Flags.string({options: ['name', 'semver'], default: 'name', description: 'Order: name (code points) or semver (versions by precedence, then other tags by name).'}),
    filter: Flags.string({description: 'Only tags matching this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Print at most this many tags (after sorting).'}),
    'page-size': Flags.integer({min: 1, max: 1000, default: 1000, description: 'Tags asked for per page, where the registry pages.'}),
  }

  async run(): Promise<void> {
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const {endpoint, target} = resolveRepository(this.args.repo, this.targetOptions())
    const client = this.clientFor(endpoint)
    const progress = this.flags.json ? undefined : startProgress(`Listing tags of ${target.repository}`, {quiet: this.flags.quiet})
    const collected: string[] = []
    try {
      for await (const tag of filterStream(listTags(client, target, {pageSize: this.flags['page-size']}), filter ? {match: (tag) => filter.test(tag)} : {})) collected.push(tag)
    } finally {
      progress?.stop()
    }
    const sorted = sortTags(collected, this.flags.sort as 'name' | 'semver').slice(0, this.flags.limit ?? Infinity)
    const rows = sorted.map((name) => ({name}))
    if (this.flags.json) {
      await writeJsonStream(process.stdout, {registry: endpoint.host, repository: target.repository}, 'tags', rows)
      return
    }
    if (rows.length > 0) this.out(renderTable(rows, [{header: 'TAG', value: (row) => row.name}], {head: this.stdoutChalk.bold}))
    if (!this.flags.quiet) process.stderr.write(`${rows.length} ${rows.length === 1 ? 'tag' : 'tags'} in ${endpoint.host}/${target.repository}\n`)
  }
}
