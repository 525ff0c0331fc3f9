import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRepository} from '../../config/resolve.js'
import {UsageError} from '../../errors.js'
import {ContentCache} from '../../image/content-cache.js'
import {orderByCreated, summarizeTags} from '../../image/tags.js'
import {tagsOfDigest} from '../../image/tags-by-digest.js'
import {writeJsonStream} from '../../output/json.js'
import {collectWithProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {hiddenReferrersLine, renderTagDetails, renderTagsOfDigest, subjectField, withSubjects} from '../../output/tag-listing.js'
import {parseDigest} from '../../registry/digest.js'
import {filterStream} from '../../registry/stream.js'
import {sortTags} from '../../registry/tag-order.js'
import {splitReferrerTags} from '../../registry/referrers.js'
import {listTags} from '../../registry/tags.js'

export default class TagsList extends BaseCommand<typeof TagsList> {
  static override description = `List the tags of a repository, following every page, sorted by name, semantic version or creation time.

With --details, each tag's digest, creation time (- when the config records none) and every platform with its exact compressed size (config + layers; kB/MB are SI units, 10^3/10^6 bytes). Each tag costs one GET (one HEAD on Docker Hub), and every other distinct manifest and config is fetched once. --sort created implies --details: newest first, undated tags last.
With --digest, the tags pointing at that manifest and the tags of indexes listing it: one request per tag, plus one per child index.
Referrer tags (cosign's sha256-<hex>.sig/.att/.sbom and the OCI fallback index sha256-<hex>) belong to the image they sign or describe, not images of their own: they are hidden, with a count on stderr, unless --show-referrers lists them (JSON rows then carry their subject digest).`

  static override examples = [
    {description: 'Tags of a repository on a local registry', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api'},
    {
      description: 'Release tags, newest version last, as JSON',
      command: "<%= config.bin %> <%= command.id %> team/app --registry prod --filter '^v' --sort semver --json | jq -r '.tags[].name'",
    },
    {
      description: 'The newest tag by creation time',
      command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --sort created --json | jq -r '.tags[0].name'",
    },
    {
      description: 'Which tags point at a digest (directly or through a multi-platform index), with the request cost',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app --digest sha256:… --verbose',
    },
    {
      description: 'Digest, creation time and size of every platform of every tag',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --details',
    },
  ]

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
    const filter = this.parseRegex(this.flags.filter, 'filter')
    const digest = this.flags.digest === undefined ? undefined : parseDigest(this.flags.digest)
    const byCreated = this.flags.sort === 'created'
    if (this.flags.bytes && !this.flags.details && !byCreated) throw new UsageError('--bytes needs --details or --sort created')
    const {endpoint, target} = resolveRepository(this.args.repo, this.targetOptions())
    const client = await this.clientFor(endpoint)
    const head = {registry: endpoint.host, repository: target.repository}
    const listed = await collectWithProgress(
      filterStream(listTags(client, target, {pageSize: this.flags['page-size']}), filter ? {match: (tag) => filter.test(tag)} : {}),
      `Listing tags of ${target.repository}`,
      {quiet: this.flags.quiet || this.flags.json},
    )
    const {images, referrers} = splitReferrerTags(listed)
    const names = this.flags['show-referrers'] ? listed : images
    if (!this.flags['show-referrers'] && referrers.size > 0 && !this.flags.quiet)
      process.stderr.write(`${hiddenReferrersLine(referrers.size)}\n`)
    const ordered = byCreated ? names : sortTags(names, this.flags.sort as 'name' | 'semver')
    if (this.flags.reverse && !byCreated) ordered.reverse()
    const count = (n: number, where = '') =>
      !this.flags.quiet && process.stderr.write(`${n} ${n === 1 ? 'tag' : 'tags'}${where} in ${endpoint.host}/${target.repository}\n`)
    if (!digest && !this.flags.details && !byCreated) {
      const rows = ordered.slice(0, this.flags.limit ?? Infinity).map((name) => ({name, ...subjectField(referrers, name)}))
      if (this.flags.json) await writeJsonStream(process.stdout, head, 'tags', rows)
      else if (rows.length > 0) this.out(renderTable(rows, [{header: 'TAG', value: (row) => row.name}], {head: this.stdoutChalk.bold}))
      if (!this.flags.json) count(rows.length)
      return
    }
    const cache = new ContentCache(client, {concurrency: this.flags.concurrency})
    await this.checkPullQuota(client, target, ordered.length)
    if (digest) {
      const found = (
        await collectWithProgress(tagsOfDigest(cache, target, ordered, digest), `Looking up tags of ${digest}`, {
          quiet: this.flags.quiet || this.flags.json,
        })
      ).slice(0, this.flags.limit ?? Infinity)
      if (this.flags.json) await writeJsonStream(process.stdout, {...head, digest}, 'tags', found)
      else if (found.length > 0) this.out(renderTagsOfDigest(found, this.stdoutChalk))
      count(found.length, ` pointing at ${digest}`)
      return
    }
    const limited = byCreated ? ordered : ordered.slice(0, this.flags.limit ?? Infinity)
    const failed: string[] = []
    const described = withSubjects(summarizeTags(cache, target, limited), failed, target.repository, referrers)
    if (this.flags.json && !byCreated) {
      // Streamed as described: memory stays flat however many tags there are.
      await writeJsonStream(process.stdout, head, 'tags', described)
    } else {
      const all = await collectWithProgress(described, `Describing tags of ${target.repository}`, {
        quiet: this.flags.quiet,
        total: limited.length,
      })
      const rows = byCreated ? orderByCreated(all, {reverse: this.flags.reverse}).slice(0, this.flags.limit ?? Infinity) : all
      if (this.flags.json) await writeJsonStream(process.stdout, head, 'tags', rows)
      else if (rows.length > 0) this.out(renderTagDetails(rows, this.stdoutChalk, {exact: this.flags.bytes}))
      if (!this.flags.json) count(limited.length)
    }
    this.failPartially(failed, limited.length, 'tags could not be described')
  }
}
