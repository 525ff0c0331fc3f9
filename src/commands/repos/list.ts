import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRegistry} from '../../config/resolve.js'
import type {RegistryClient} from '../../registry/client.js'
import {writeJsonStream} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {listRepositories} from '../../registry/catalog.js'
import {filterStream, mapOrdered} from '../../registry/stream.js'
import {ContentCache} from '../../image/content-cache.js'
import {sizeRepository} from '../../image/repository-size.js'
import {SizeTally} from '../../image/size.js'
import {formatBytes} from '../../output/bytes.js'
import {repositoryIn} from '../../registry/reference.js'

export default class ReposList extends BaseCommand<typeof ReposList> {
  static override description = `List the repositories of a registry (its _catalog), following every page.

With --size, each repository's tag count and exact size (distinct config and layer blobs of all its tags and platforms, each counted once), and the registry-wide total where base layers shared by repositories count once. kB/MB/GB are SI units (10^3/10^6/10^9 bytes).`

  static override examples = [
    {description: 'Every repository of a local registry', command: '<%= config.bin %> <%= command.id %> --registry localhost:5000'},
    {description: 'Repositories under team/, as JSON names', command: "<%= config.bin %> <%= command.id %> -r localhost:5000 --filter '^team/' --json | jq -r '.repositories[].name'"},
    {description: 'The first 10 repositories of a configured registry', command: '<%= config.bin %> <%= command.id %> --registry prod --limit 10'},
    {description: 'Storage per repository and for the whole registry', command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --size'},
  ]

  static override flags = {
    filter: Flags.string({description: 'Only repositories whose name matches this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Stop after this many repositories.'}),
    'page-size': Flags.integer({min: 1, max: 1000, default: 1000, description: 'Repositories asked for per page (registries reject more than 1000).'}),
    size: Flags.boolean({description: 'Also size each repository (all tags, shared blobs once) and the whole registry.'}),
    bytes: Flags.boolean({dependsOn: ['size'], description: 'With --size: exact byte counts instead of SI units.'}),
  }

  async run(): Promise<void> {
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const endpoint = resolveRegistry(this.targetOptions())
    const client = this.clientFor(endpoint)
    const names = filterStream(listRepositories(client, {pageSize: this.flags['page-size']}), {
      ...(filter ? {match: (name: string) => filter.test(name)} : {}),
      ...(this.flags.limit ? {limit: this.flags.limit} : {}),
    })
    if (this.flags.size) {
      await this.sizes(client, names)
      return
    }
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

  private async sizes(client: RegistryClient, names: AsyncIterable<string>): Promise<void> {
    const cache = new ContentCache(client, {concurrency: this.flags.concurrency})
    const endpoint = client.endpoint
    const registry = new SizeTally()
    const failed: string[] = []
    const progress = startProgress(`Sizing repositories of ${endpoint.host}`, {quiet: this.flags.quiet})
    let done = 0
    let tags = 0
    // A few repositories at a time: each one already describes its tags concurrently.
    const sized = mapOrdered(names, (name) => sizeRepository(cache, repositoryIn(endpoint.host, name), registry), 4)
    const repositories = (async function* () {
      for await (const repository of sized) {
        progress.update(`Sizing repositories of ${endpoint.host}: ${++done} (${repository.name})`)
        tags += repository.tags
        for (const failure of repository.failed) failed.push(`${repository.name}:${failure.tag}: ${failure.error}`)
        yield {name: repository.name, tags: repository.tags, size: repository.size, blobs: repository.blobs, ...(repository.failed.length > 0 ? {failed: repository.failed} : {})}
      }
    })()
    try {
      if (this.flags.json) {
        await writeJsonStream(process.stdout, {registry: endpoint.host}, 'repositories', repositories, () => ({size: registry.total, blobs: registry.blobs}))
      } else {
        const rows: {name: string; tags: string; size: number}[] = []
        for await (const repository of repositories) rows.push({name: repository.name, tags: String(repository.tags), size: repository.size})
        progress.stop()
        const exact = this.flags.bytes
        rows.push({name: 'TOTAL (distinct blobs)', tags: '', size: registry.total})
        this.out(
          renderTable(
            rows,
            [
              {header: 'REPOSITORY', value: (row) => row.name},
              {header: 'TAGS', value: (row) => row.tags, align: 'right'},
              {header: 'SIZE', value: (row) => formatBytes(row.size, {exact}), align: 'right'},
            ],
            {head: this.stdoutChalk.bold},
          ),
        )
        if (!this.flags.quiet) process.stderr.write(`${rows.length - 1} ${rows.length === 2 ? 'repository' : 'repositories'} on ${endpoint.host}\n`)
      }
    } finally {
      progress.stop()
    }
    this.failPartially(failed, tags, 'tags could not be sized')
  }
}
