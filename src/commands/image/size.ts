import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveReference, resolveRepository} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {type ConfigFetch, describeImage} from '../../image/describe.js'
import {parsePlatformFilter, type PlatformFilter} from '../../image/platform.js'
import {SizeTally} from '../../image/size.js'
import {summarize} from '../../image/summary.js'
import {summarizeTags} from '../../image/tags.js'
import {formatBytes} from '../../output/bytes.js'
import {shortDigest} from '../../output/digest.js'
import {type SizeRow, sizeRows} from '../../output/image.js'
import {writeJson, writeJsonStream} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {manifestReference, type Repository} from '../../registry/reference.js'
import {sortTags} from '../../registry/tag-order.js'
import {listTags} from '../../registry/tags.js'
import type {RegistryEndpoint} from '../../registry/endpoint.js'

export default class ImageSize extends BaseCommand<typeof ImageSize> {
  static override description = `Exact compressed size of an image: config + layers per platform, as stored in and pulled from the registry (the sum jq '([.layers[].size]|add)+.config.size' gives).

Sizes are printed in SI units: 1 kB = 1000 bytes, 1 MB = 10^6 bytes, 1 GB = 10^9 bytes; --bytes prints exact byte counts. The TOTAL line counts each distinct blob once (layers shared by platforms or tags are stored once). Attestation manifests are never counted as platforms. A --platform that matches nothing exits with code 8 and lists the available platforms.`

  static override examples = [
    {description: 'Every platform of a multi-platform image', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0'},
    {description: 'Exact bytes of the arm64 image', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0 --platform linux/arm64 --bytes'},
    {description: 'Every tag of a repository, with its unique total', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags'},
    {description: 'The unique bytes of a repository, for a script', command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags --json | jq '.size'"},
  ]

  static override args = {
    ref: Args.string({required: true, description: 'Image reference [host[:port]/]path[:tag][@digest]; with --all-tags a repository [host[:port]/]path'}),
  }

  static override flags = {
    platform: Flags.string({exclusive: ['all-platforms'], description: 'Only this platform: os/arch[/variant], e.g. linux/arm64 (matches linux/arm64/v8).'}),
    'all-platforms': Flags.boolean({description: 'Every platform of a multi-platform image (the default without --platform).'}),
    'all-tags': Flags.boolean({description: 'Size every tag of the repository REF, and the repository\'s unique total.'}),
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
    const cache = new ContentCache(this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const reference = manifestReference(target)
    const summary = summarize(await describeImage(cache, target, reference, {...(platform ? {platform} : {}), configs: this.configFetch}))
    if (this.flags.json) {
      writeJson(process.stdout, {registry: endpoint.host, repository: target.repository, reference, ...summary})
      return
    }
    const rows = sizeRows(summary)
    this.out(this.table(rows, false, rows.length > 1 ? summary.size : undefined))
  }

  private async allTags(endpoint: RegistryEndpoint, repository: Repository, platform: PlatformFilter | undefined): Promise<void> {
    const cache = new ContentCache(this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const progress = startProgress(`Listing tags of ${repository.repository}`, {quiet: this.flags.quiet})
    const tally = new SizeTally()
    const configs = this.configFetch
    const failed: string[] = []
    let done = 0
    try {
      const names: string[] = []
      for await (const name of listTags(cache.client, repository)) names.push(name)
      const sorted = sortTags(names, 'name')
      await this.checkPullQuota(cache.client, repository, sorted.length)
      const tags = (async function* () {
        for await (const row of summarizeTags(cache, repository, sorted, {...(platform ? {platform} : {}), tally, configs})) {
          progress.update(`Sizing tags of ${repository.repository}: ${++done}/${sorted.length}`)
          if ('error' in row) failed.push(`${row.name}: ${row.error}`)
          yield row
        }
      })()
      if (this.flags.json) {
        await writeJsonStream(process.stdout, {registry: endpoint.host, repository: repository.repository}, 'tags', tags, () => ({size: tally.total, blobs: tally.blobs}))
      } else {
        const rows: SizeRow[] = []
        for await (const tag of tags) if (!('error' in tag)) rows.push(...sizeRows(tag, tag.name))
        progress.stop()
        if (rows.length > 0) this.out(this.table(rows, true, tally.total))
        if (!this.flags.quiet) process.stderr.write(`${done - failed.length} of ${sorted.length} tags sized in ${endpoint.host}/${repository.repository}\n`)
      }
    } finally {
      progress.stop()
    }
    this.failPartially(failed, done, 'tags could not be sized')
  }

  /** The JSON carries `created`, a config field; the table shows platforms only, so configs are fetched only where a platform is nowhere else. */
  private get configFetch(): ConfigFetch {
    return this.flags.json ? 'all' : 'platform'
  }

  private table(rows: SizeRow[], withTag: boolean, total: number | undefined): string {
    const exact = this.flags.bytes
    const all = total === undefined ? rows : [...rows, {tag: 'TOTAL', platform: withTag ? '(distinct blobs)' : 'TOTAL (distinct blobs)', digest: '', created: '', size: total}]
    return renderTable(
      all,
      [
        ...(withTag ? [{header: 'TAG', value: (row: SizeRow) => row.tag ?? ''}] : []),
        {header: 'PLATFORM', value: (row) => row.platform},
        {header: 'DIGEST', value: (row) => (row.digest ? shortDigest(row.digest) : '')},
        {header: 'SIZE', value: (row) => formatBytes(row.size, {exact}), align: 'right'},
      ],
      {head: this.stdoutChalk.bold},
    )
  }
}
