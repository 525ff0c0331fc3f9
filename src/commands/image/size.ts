import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {description, examples} from '../../cli/help/image-size.js'
import {resolveReference, resolveRepository} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {type ConfigFetch, type DescribeOptions, describeImage} from '../../image/describe.js'
import {parsePlatformFilter} from '../../image/platform.js'
import {summarize} from '../../image/summary.js'
import {sizeTags} from '../../image/tag-sizes.js'
import {tagSizeListing} from '../../output/image.js'
import {renderImageSize} from '../../output/image-size.js'
import {renderListing} from '../../output/listing.js'
import {startProgress} from '../../output/progress.js'
import {manifestReference, type Repository} from '../../registry/reference.js'
import type {RegistryEndpoint} from '../../registry/endpoint.js'

export default class ImageSize extends BaseCommand<typeof ImageSize> {
  static override description = description

  static override examples = examples

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
    const options = {...(platform ? {platform} : {}), configs: this.configFetch}
    if (this.flags['all-tags']) return this.allTags(resolveRepository(this.args.ref, this.targetOptions()), options)
    const {endpoint, target} = resolveReference(this.args.ref, this.targetOptions())
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const reference = manifestReference(target)
    const summary = summarize(await describeImage(cache, target, reference, options))
    const image = {registry: endpoint.host, repository: target.repository, reference, summary}
    process.stdout.write(renderImageSize(image, {json: this.flags.json, exact: this.flags.bytes, chalk: this.stdoutChalk}))
  }

  private async allTags(
    {endpoint, target}: {endpoint: RegistryEndpoint; target: Repository},
    options: Pick<DescribeOptions, 'platform' | 'configs'>,
  ): Promise<void> {
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const spinner = startProgress(`Listing tags of ${target.repository}`, {quiet: this.flags.quiet})
    const sized = await sizeTags(cache, target, {
      ...options,
      beforeManifests: (tags) => this.checkPullQuota(cache.client, target, tags),
    }).catch((error: unknown) => {
      spinner.stop()
      throw error
    })
    const listing = tagSizeListing({host: endpoint.host, repository: target.repository}, sized, {exact: this.flags.bytes, spinner})
    const output = {json: this.flags.json, quiet: this.flags.quiet, chalk: this.stdoutChalk, stdout: process.stdout, stderr: process.stderr}
    const {items, failures} = await renderListing(sized.tags, listing, output)
    this.failPartially(failures, items, 'tags could not be sized')
  }

  /** The JSON carries `created`, a config field; the table shows platforms only, so configs are fetched only where a platform is nowhere else. */
  private get configFetch(): ConfigFetch {
    return this.flags.json ? 'all' : 'platform'
  }
}
