import type {ContentCache} from './content-cache.js'
import {orderByCreated, summarizeTags, type TagSummary} from './tags.js'
import {type TagOfDigest, tagsOfDigest} from './tags-by-digest.js'
import type {Digest} from '../registry/digest.js'
import type {Repository} from '../registry/reference.js'
import {splitReferrerTags} from '../registry/referrers.js'
import {filterStream} from '../registry/stream.js'
import {sortTags} from '../registry/tag-order.js'
import {listTags} from '../registry/tags.js'

/** Which tags of a repository to show, and how much about each (`tags list`). */
export interface TagListRequest {
  /** Only tags matching this. */
  filter?: RegExp | undefined
  /** created: newest first, undated last (implies details). */
  sort: 'name' | 'semver' | 'created'
  /** Reverse the order (by creation time: oldest first, undated still last). */
  reverse: boolean
  /** At most this many tags, after sorting. */
  limit?: number | undefined
  /** Tags asked for per page. */
  pageSize: number
  /** Each tag's digest, creation time, platforms and sizes. */
  details: boolean
  /** Only the tags pointing at this manifest, directly or through an index. */
  digest?: Digest | undefined
  /** Keep referrer tags (signatures, attestations, SBOMs), each with its subject, instead of hiding them. */
  showReferrers: boolean
}

/** A stage that takes a while: listing the tags, looking up the tags of a digest, describing every tag to order them by creation time. */
export type TagListStage = 'listing' | 'lookup' | 'ordering'

export interface TagListEnvironment {
  /** Progress of a stage (a spinner on a terminal, nothing elsewhere). */
  progress(stage: TagListStage, text: string): {update(text: string): void; stop(): void}
  /** Once the tags are listed: how many referrer tags are left out. */
  listed?(hiddenReferrers: number): void
  /** Before the tags' manifests are read, how many tags will be (a pull quota check on Docker Hub). */
  beforeManifests?(tags: number): Promise<void>
}

/** A tag; a referrer tag carries the digest of the image it belongs to. */
export interface TagName {
  name: string
  subject?: Digest
}

export type TagsToShow =
  | {kind: 'names'; tags: TagName[]}
  | {kind: 'digest'; digest: Digest; tags: TagOfDigest[]}
  /**
   * `tags` streams unless they had to be ordered; `count` is how many tags are described, and `failed`
   * the tags that could not be, in the order they were described (filled as `tags` is read).
   */
  | {kind: 'details'; count: number; tags: AsyncIterable<TagSummary> | TagSummary[]; failed: {name: string; error: string}[]}

const subjectOf = (referrers: ReadonlyMap<string, Digest>, tag: string) => (referrers.has(tag) ? {subject: referrers.get(tag)!} : {})

/** Drains a stream under a stage's progress; with a total, the text counts `n/total`. */
async function collect<T>(items: AsyncIterable<T>, progress: {update(text: string): void; stop(): void}, label: string, total?: number) {
  const collected: T[] = []
  try {
    for await (const item of items) {
      collected.push(item)
      if (total !== undefined) progress.update(`${label}: ${collected.length}/${total}`)
    }
  } finally {
    progress.stop()
  }
  return collected
}

/**
 * The tags of a repository to show, as the request asks: their names (sorted and limited), the tags
 * of a digest, or each tag described (streamed in name or version order, or collected and ordered by
 * creation time). Referrer tags are left out unless asked for.
 */
export async function tagsToShow(
  cache: ContentCache,
  repository: Repository,
  request: TagListRequest,
  env: TagListEnvironment,
): Promise<TagsToShow> {
  const filter = request.filter
  const listing = `Listing tags of ${repository.repository}`
  const listed = await collect(
    filterStream(listTags(cache.client, repository, {pageSize: request.pageSize}), filter ? {match: (tag) => filter.test(tag)} : {}),
    env.progress('listing', listing),
    listing,
  )
  const {images, referrers} = splitReferrerTags(listed)
  env.listed?.(request.showReferrers ? 0 : referrers.size)
  const names = request.showReferrers ? listed : images
  const byCreated = request.sort === 'created'
  const ordered = byCreated ? names : sortTags(names, request.sort as 'name' | 'semver')
  if (request.reverse && !byCreated) ordered.reverse()
  const limit = request.limit ?? Infinity
  if (!request.digest && !request.details && !byCreated)
    return {kind: 'names', tags: ordered.slice(0, limit).map((name) => ({name, ...subjectOf(referrers, name)}))}
  await env.beforeManifests?.(ordered.length)
  if (request.digest) {
    const lookup = `Looking up tags of ${request.digest}`
    const found = await collect(tagsOfDigest(cache, repository, ordered, request.digest), env.progress('lookup', lookup), lookup)
    return {kind: 'digest', digest: request.digest, tags: found.slice(0, limit)}
  }
  const described = ordered.slice(0, byCreated ? Infinity : limit)
  const failed: {name: string; error: string}[] = []
  const tags = (async function* () {
    for await (const row of summarizeTags(cache, repository, described)) {
      if ('error' in row) failed.push(row)
      yield {...row, ...subjectOf(referrers, row.name)}
    }
  })()
  if (!byCreated) return {kind: 'details', count: described.length, tags, failed}
  const describing = `Describing tags of ${repository.repository}`
  const all = await collect(tags, env.progress('ordering', describing), describing, described.length)
  return {kind: 'details', count: described.length, tags: orderByCreated(all, {reverse: request.reverse}).slice(0, limit), failed}
}
