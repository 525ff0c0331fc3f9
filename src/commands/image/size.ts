import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveReference, resolveRepository} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {type ConfigFetch, describeImage} from '../../image/describe.js'
import {parsePlatformFilter, type PlatformFilter} from '../../image/platform.js'
import {SizeTally} from '../../image/size.js'
import {summarize} from '../../image/summary.js'
import {summarizeTags} from '../../image/tags.js'
import {sizeRows, sizeTable, tagSizeListing} from '../../output/image.js'
import {writeJson} from '../../output/json.js'
import {renderListing} from '../../output/listing.js'
import {startProgress} from '../../output/progress.js'
import {manifestReference, type Repository} from '../../registry/reference.js'
import {sortTags} from '../../registry/tag-order.js'
import {listTags} from '../../registry/tags.js'
import type {RegistryEndpoint} from '../../registry/endpoint.js'

export default class ImageSize extends BaseCommand<typeof ImageSize> {
  static override description = `Exact compressed size of an image: config + layers per platform, as stored in and pulled from the registry (the sum jq '([.layers[].size]|add)+.config.size' gives).

Sizes are printed in SI units: 1 kB = 1000 bytes, 1 MB = 10^6 bytes, 1 GB = 10^9 bytes; --bytes prints exact byte counts. The TOTAL line counts each distinct blob once (layers shared by platforms or tags are stored once). Attestation manifests are never counted as platforms. A --platform that matches nothing exits with code 8 and lists the available platforms.`

  static override examples = [
    {
      description: 'Every platform of a multi-platform image',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0',
    },
    {
      description: 'Exact bytes of the arm64 image',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0 --platform linux/arm64 --bytes',
    },
    {
      description: 'Every tag of a repository, with its unique total',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags',
    },
    {
      description: 'The unique bytes of a repository, for a script',
      command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags --json | jq '.size'",
    },
  ]

  static override args = {
    ref: Args.string({
      required: true,
      description: 'Image reference [host[:port]/]path[:tag][@digest]; with --all-tags a repository [host[:port]/]path',
    }),
  }

  static override flags = {
    platform: Flags.string({
      exclusive: ['all-platforms'],
      description: 'Only this platform: os/arch[/variant], e.g. linux/arm64 (matches linux/arm64/v8).',
    }),
    'all-platforms': Flags.boolean({description: 'Every platform of a multi-platform image (the default without --platform).'}),
    'all-tags': Flags.boolean({description: "Size every tag of the repository REF, and the repository's unique total."}),
    bytes: Flags.boolean({description: 'Print exact byte counts instead of SI units.'}),
  }

  async run(): Promise<void> {
    const platform = this.flags.platform === undefined ? undefined : parsePlatformFilter(this.flags.platform)
    if (this.flags['all-tags']) {
      const {endpoint, target} = resolveRepository(this.args.ref, this.targetOptions())
      await this.allTags(endpoint, target, platform)
      return
    }
    const {endpoint, target} = resolveReference(this.args.ref, this.targetOptions())
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const reference = manifestReference(target)
    const summary = summarize(await describeImage(cache, target, reference, {...(platform ? {platform} : {}), configs: this.configFetch}))
    if (this.flags.json) {
      writeJson(process.stdout, {registry: endpoint.host, repository: target.repository, reference, ...summary})
      return
    }
    const rows = sizeRows(summary)
    this.out(
      sizeTable(rows, {
        withTag: false,
        total: rows.length > 1 ? summary.size : undefined,
        exact: this.flags.bytes,
        chalk: this.stdoutChalk,
      }),
    )
  }

  private async allTags(endpoint: RegistryEndpoint, repository: Repository, platform: PlatformFilter | undefined): Promise<void> {
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const spinner = startProgress(`Listing tags of ${repository.repository}`, {quiet: this.flags.quiet})
    const tally = new SizeTally()
    let sorted: string[]
    try {
      const names: string[] = []
      for await (const name of listTags(cache.client, repository)) names.push(name)
      sorted = sortTags(names, 'name')
      await this.checkPullQuota(cache.client, repository, sorted.length)
    } catch (error) {
      spinner.stop()
      throw error
    }
    const tags = summarizeTags(cache, repository, sorted, {...(platform ? {platform} : {}), tally, configs: this.configFetch})
    const listing = tagSizeListing(
      {host: endpoint.host, repository: repository.repository},
      {count: sorted.length, tally},
      {exact: this.flags.bytes, spinner},
    )
    const output = {json: this.flags.json, quiet: this.flags.quiet, chalk: this.stdoutChalk, stdout: process.stdout, stderr: process.stderr}
    const {items, failures} = await renderListing(tags, listing, output)
    this.failPartially(failures, items, 'tags could not be sized')
  }

  /** The JSON carries `created`, a config field; the table shows platforms only, so configs are fetched only where a platform is nowhere else. */
  private get configFetch(): ConfigFetch {
    return this.flags.json ? 'all' : 'platform'
  }
}
