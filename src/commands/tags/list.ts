import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRepository} from '../../config/resolve.js'
import {writeJsonStream} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderTable} from '../../output/table.js'
import {filterStream} from '../../registry/stream.js'
import {sortTags} from '../../registry/tag-order.js'
import {listTags} from '../../registry/tags.js'
import {ContentCache} from '../../image/content-cache.js'
import {summarizeTags} from '../../image/tags.js'
import {formatBytes} from '../../output/bytes.js'
import {shortDigest, type SizeRow, sizeRows} from '../../output/image.js'
import type {RegistryClient} from '../../registry/client.js'
import type {Digest} from '../../registry/digest.js'
import type {Repository} from '../../registry/reference.js'
import {splitReferrerTags} from '../../registry/referrers.js'

const subjectField = (referrers: ReadonlyMap<string, Digest>, tag: string) => (referrers.has(tag) ? {subject: referrers.get(tag)!} : {})

export default class TagsList extends BaseCommand<typeof TagsList> {
  static override description = `List the tags of a repository, following every page, sorted by name or semantic version.

Referrer tags (cosign's sha256-<hex>.sig/.att/.sbom and the OCI fallback index sha256-<hex>) belong to the image they sign or describe, not images of their own: they are hidden, with a count on stderr, unless --show-referrers lists them (JSON rows then carry their subject digest).

With --details, each tag's digest, creation time (- when the config records none) and every platform with its exact compressed size (config + layers; kB/MB are SI units, 10^3/10^6 bytes). Each tag costs one GET (one HEAD on Docker Hub), and every other distinct manifest and config is fetched once.`

  static override examples = [
    {description: 'Tags of a repository on a local registry', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api'},
    {description: 'Release tags, newest version last, as JSON', command: "<%= config.bin %> <%= command.id %> team/app --registry prod --filter '^v' --sort semver --json | jq -r '.tags[].name'"},
    {description: 'Digest, creation time and size of every platform of every tag', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --details'},
  ]

  static override args = {
    repo: Args.string({required: true, description: 'Repository, optionally with a registry host: [host[:port]/]path'}),
  }

  static override flags = {
    sort: Flags.string({options: ['name', 'semver'], default: 'name', description: 'Order: name (code points) or semver (versions by precedence, then other tags by name).'}),
    filter: Flags.string({description: 'Only tags matching this regular expression.'}),
    limit: Flags.integer({min: 1, description: 'Print at most this many tags (after sorting).'}),
    'page-size': Flags.integer({min: 1, max: 1000, default: 1000, description: 'Tags asked for per page, where the registry pages.'}),
    details: Flags.boolean({description: 'Also show each tag\'s digest, creation time, platforms and exact size per platform.'}),
    bytes: Flags.boolean({dependsOn: ['details'], description: 'With --details: exact byte counts instead of SI units.'}),
    'show-referrers': Flags.boolean({description: 'Also list referrer tags (signatures, attestations, SBOMs), each with the digest it refers to.'}),
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
    const {images, referrers} = splitReferrerTags(collected)
    const shown = this.flags['show-referrers'] ? collected : images
    if (!this.flags['show-referrers'] && referrers.size > 0 && !this.flags.quiet) process.stderr.write(`${referrers.size} referrer ${referrers.size === 1 ? 'tag' : 'tags'} (signatures, attestations, SBOMs) not shown; --show-referrers lists them\n`)
    const sorted = sortTags(shown, this.flags.sort as 'name' | 'semver').slice(0, this.flags.limit ?? Infinity)
    if (this.flags.details) {
      await this.details(client, target, sorted, referrers)
      return
    }
    const rows = sorted.map((name) => ({name, ...subjectField(referrers, name)}))
    if (this.flags.json) {
      await writeJsonStream(process.stdout, {registry: endpoint.host, repository: target.repository}, 'tags', rows)
      return
    }
    const columns = [{header: 'TAG', value: (row: {name: string; subject?: string}) => row.name}, ...(referrers.size > 0 && this.flags['show-referrers'] ? [{header: 'REFERS TO', value: (row: {subject?: string}) => row.subject ?? '-'}] : [])]
    if (rows.length > 0) this.out(renderTable(rows, columns, {head: this.stdoutChalk.bold}))
    if (!this.flags.quiet) process.stderr.write(`${rows.length} ${rows.length === 1 ? 'tag' : 'tags'} in ${endpoint.host}/${target.repository}\n`)
  }

  private async details(client: RegistryClient, repository: Repository, names: string[], referrers: ReadonlyMap<string, Digest>): Promise<void> {
    const cache = new ContentCache(client, {concurrency: this.flags.concurrency})
    const endpoint = client.endpoint
    const progress = startProgress(`Describing tags of ${repository.repository}`, {quiet: this.flags.quiet})
    const failed: string[] = []
    let done = 0
    const rows = (async function* () {
      for await (const row of summarizeTags(cache, repository, names)) {
        progress.update(`Describing tags of ${repository.repository}: ${++done}/${names.length}`)
        if ('error' in row) failed.push(`${row.name}: ${row.error}`)
        yield {...row, ...subjectField(referrers, row.name)}
      }
    })()
    try {
      if (this.flags.json) {
        await writeJsonStream(process.stdout, {registry: endpoint.host, repository: repository.repository}, 'tags', rows)
      } else {
        const lines: SizeRow[] = []
        for await (const row of rows) lines.push(...('error' in row ? [{tag: row.name, platform: '(failed)', digest: '', created: '-', size: 0}] : sizeRows(row, row.name).map((line) => ({...line, digest: row.digest}))))
        progress.stop()
        const exact = this.flags.bytes
        if (lines.length > 0) {
          this.out(
            renderTable(
              lines,
              [
                {header: 'TAG', value: (row) => row.tag ?? ''},
                {header: 'DIGEST', value: (row) => (row.digest ? shortDigest(row.digest) : '-')},
                {header: 'CREATED', value: (row) => row.created},
                {header: 'PLATFORM', value: (row) => row.platform},
                {header: 'SIZE', value: (row) => (row.digest ? formatBytes(row.size, {exact}) : '-'), align: 'right'},
              ],
              {head: this.stdoutChalk.bold},
            ),
          )
        }
        if (!this.flags.quiet) process.stderr.write(`${names.length} ${names.length === 1 ? 'tag' : 'tags'} in ${endpoint.host}/${repository.repository}\n`)
      }
    } finally {
      progress.stop()
    }
    this.failPartially(failed, names.length, 'tags could not be described')
  }
}
