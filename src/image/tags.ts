import type {ContentCache} from './content-cache.js'
import {blobsOf, type DescribeOptions, describeImage, type ImageDescription} from './describe.js'
import type {SizeTally} from './size.js'
import {type ImageSummary, summarize} from './summary.js'
import {type ExitCodeName, ReglensError} from '../errors.js'
import type {Repository} from '../registry/reference.js'
import {mapOrdered} from '../registry/stream.js'
import {byName} from '../registry/tag-order.js'

export interface TagDescription {
  name: string
  description?: ImageDescription
  /** Why this tag could not be described (deleted meanwhile, malformed manifest…); the listing goes on. */
  error?: ReglensError
}

/** A listing row: a tag's summary, or why it has none. */
export type TagSummary = ({name: string} & ImageSummary) | {name: string; error: string}

/** Failures of one tag's content; anything else (network, auth) stops the whole listing. */
const PER_TAG_FAILURES: ReadonlySet<ExitCodeName> = new Set(['notFound', 'badResponse', 'unsupported'])

/**
 * Describes tags concurrently (the cache bounds requests in flight), yielding them in the given order.
 * Each tag costs one request (see ContentCache's tagLookup); content shared by tags is fetched once.
 */
export async function* describeTags(
  cache: ContentCache,
  repository: Repository,
  tags: AsyncIterable<string> | Iterable<string>,
  options: DescribeOptions & {window?: number} = {},
): AsyncGenerator<TagDescription> {
  const describe = async (name: string): Promise<TagDescription> => {
    try {
      return {name, description: await describeImage(cache, repository, name, options)}
    } catch (error) {
      if (error instanceof ReglensError && PER_TAG_FAILURES.has(error.kind)) return {name, error}
      throw error
    }
  }
  yield* mapOrdered(tags, describe, options.window ?? 64)
}

/** describeTags as flat rows (`tags list --details`, `image size --all-tags`); `tally` receives every described blob. */
export async function* summarizeTags(
  cache: ContentCache,
  repository: Repository,
  tags: AsyncIterable<string> | Iterable<string>,
  options: DescribeOptions & {tally?: SizeTally} = {},
): AsyncGenerator<TagSummary> {
  for await (const tag of describeTags(cache, repository, tags, options)) {
    if (!tag.description) {
      yield {name: tag.name, error: tag.error?.message ?? 'unknown failure'}
      continue
    }
    options.tally?.add(blobsOf(tag.description))
    yield {name: tag.name, ...summarize(tag.description)}
  }
}

const createdTime = (row: {created?: string | null}): number => (row.created ? Date.parse(row.created) : Number.NaN)

/**
 * Rows by creation time, newest first (`reverse`: oldest first). Rows without a readable date (no
 * config date, or the tag could not be described) come last in both directions, by name, so
 * `.[0]` is always a dated tag when there is one.
 */
export function orderByCreated<T extends {name: string; created?: string | null}>(
  rows: readonly T[],
  options: {reverse?: boolean} = {},
): T[] {
  const direction = options.reverse ? 1 : -1
  const dated = rows.filter((row) => !Number.isNaN(createdTime(row)))
  const undated = rows.filter((row) => Number.isNaN(createdTime(row)))
  dated.sort((a, b) => direction * (createdTime(a) - createdTime(b)) || byName(a.name, b.name))
  return [...dated, ...undated.sort((a, b) => byName(a.name, b.name))]
}
