import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {description, examples} from '../../cli/help/tags-list.js'
import {resolveRepository} from '../../config/resolve.js'
import {UsageError} from '../../errors.js'
import {ContentCache} from '../../image/content-cache.js'
import {type TagListRequest, tagsToShow} from '../../image/tag-listing.js'
import {renderTagList, tagListNotices} from '../../output/tag-listing.js'
import {parseDigest} from '../../registry/digest.js'

export default class TagsList extends BaseCommand<typeof TagsList> {
  static override description = description

  static override examples = examples

  static override args = {
    repo: Args.string({required: true, description: 'Repository, optionally with a registry host: [host[:port]/]path'}),
  }

  static override flags = {
    sort: Flags.string({
      options: ['name', 'semver', 'created'],
      default: 'name',
      description:
        'Order: name (code points), semver (versions by precedence, then other tags by name) or created (newest first, undated last; implies --details).',
    }),
    reverse: Flags.boolean({description: 'Reverse the order (with --sort created: oldest first, undated still last).'}),
    filter: Flags.string({description: 'Only tags matching this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Print at most this many tags (after sorting).'}),
    'page-size': Flags.integer({min: 1, max: 1000, default: 1000, description: 'Tags asked for per page, where the registry pages.'}),
    details: Flags.boolean({description: "Also show each tag's digest, creation time, platforms and exact size per platform."}),
    digest: Flags.string({
      exclusive: ['details'],
      description: 'Only the tags pointing at this manifest digest, or at an index that lists it.',
    }),
    bytes: Flags.boolean({description: 'With --details: exact byte counts instead of SI units.'}),
    'show-referrers': Flags.boolean({
      description: 'Also list referrer tags (signatures, attestations, SBOMs), each with the digest it refers to.',
    }),
  }

  async run(): Promise<void> {
    const request = {
      filter: this.parseRegex(this.flags.filter, 'filter'),
      digest: this.flags.digest === undefined ? undefined : parseDigest(this.flags.digest),
      sort: this.flags.sort as TagListRequest['sort'],
      reverse: this.flags.reverse,
      limit: this.flags.limit,
      pageSize: this.flags['page-size'],
      details: this.flags.details,
      showReferrers: this.flags['show-referrers'],
    }
    if (this.flags.bytes && !request.details && request.sort !== 'created')
      throw new UsageError('--bytes needs --details or --sort created')
    const {endpoint, target} = resolveRepository(this.args.repo, this.targetOptions())
    const client = await this.clientFor(endpoint)
    const output = {json: this.flags.json, quiet: this.flags.quiet, chalk: this.stdoutChalk, stdout: process.stdout, stderr: process.stderr}
    const shown = await tagsToShow(new ContentCache(client, {concurrency: this.flags.concurrency}), target, request, {
      ...tagListNotices(output),
      beforeManifests: (tags) => this.checkPullQuota(client, target, tags),
    })
    const head = {registry: endpoint.host, repository: target.repository}
    const {failures, total} = await renderTagList(shown, head, {...output, exact: this.flags.bytes})
    this.failPartially(failures, total, 'tags could not be described')
  }
}
