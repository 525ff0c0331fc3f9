import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRegistry} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {sizeRepositories} from '../../image/repository-size.js'
import {renderListing} from '../../output/listing.js'
import {startProgress} from '../../output/progress.js'
import {repositoryListing, repositorySizeListing, sizedRepositories} from '../../output/repositories.js'
import {listRepositories} from '../../registry/catalog.js'
import {filterStream} from '../../registry/stream.js'

export default class ReposList extends BaseCommand<typeof ReposList> {
  static override description = `List the repositories of a registry (its _catalog), following every page.

With --size, each repository's tag count and exact size (distinct config and layer blobs of all its tags and platforms, each counted once), and the registry-wide total where base layers shared by repositories count once. kB/MB/GB are SI units (10^3/10^6/10^9 bytes).`

  static override examples = [
    {description: 'Every repository of a local registry', command: '<%= config.bin %> <%= command.id %> --registry localhost:5000'},
    {
      description: 'Repositories under team/, as JSON names',
      command: "<%= config.bin %> <%= command.id %> -r localhost:5000 --filter '^team/' --json | jq -r '.repositories[].name'",
    },
    {
      description: 'The first 10 repositories of a configured registry',
      command: '<%= config.bin %> <%= command.id %> --registry prod --limit 10',
    },
    {
      description: 'Storage per repository and for the whole registry',
      command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --size',
    },
  ]

  static override flags = {
    filter: Flags.string({description: 'Only repositories whose name matches this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Stop after this many repositories.'}),
    'page-size': Flags.integer({
      min: 1,
      max: 1000,
      default: 1000,
      description: 'Repositories asked for per page (registries reject more than 1000).',
    }),
    size: Flags.boolean({description: 'Also size each repository (all tags, shared blobs once) and the whole registry.'}),
    bytes: Flags.boolean({dependsOn: ['size'], description: 'With --size: exact byte counts instead of SI units.'}),
  }

  async run(): Promise<void> {
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const endpoint = resolveRegistry(this.targetOptions())
    const client = await this.clientFor(endpoint)
    const names = filterStream(listRepositories(client, {pageSize: this.flags['page-size']}), {
      ...(filter ? {match: (name: string) => filter.test(name)} : {}),
      ...(this.flags.limit ? {limit: this.flags.limit} : {}),
    })
    const output = {json: this.flags.json, quiet: this.flags.quiet, chalk: this.stdoutChalk, stdout: process.stdout, stderr: process.stderr}
    if (!this.flags.size) {
      const spinner = this.flags.json ? undefined : startProgress(`Listing repositories of ${endpoint.host}`, {quiet: this.flags.quiet})
      const repositories = (async function* () {
        for await (const name of names) yield {name}
      })()
      await renderListing(repositories, repositoryListing(endpoint.host, spinner), output)
      return
    }
    const sized = sizeRepositories(new ContentCache(client, {concurrency: this.flags.concurrency}), names)
    const spinner = startProgress(`Sizing repositories of ${endpoint.host}`, {quiet: this.flags.quiet})
    const listing = repositorySizeListing(endpoint.host, sized.registry, {exact: this.flags.bytes, spinner})
    const {failures} = await renderListing(sizedRepositories(sized.repositories), listing, output)
    this.failPartially(failures, sized.tags, 'tags could not be sized')
  }
}
