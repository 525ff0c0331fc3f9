import type {ContentCache} from './content-cache.js'
import {MAX_INDEX_DEPTH, tooDeep} from './graph.js'
import {ReglensError} from '../errors.js'
import type {Digest} from '../registry/digest.js'
import type {Repository} from '../registry/reference.js'
import {INDEX_MEDIA_TYPES} from '../registry/types/media-types.js'
import {mapOrdered} from '../registry/stream.js'

/** A tag that points at the digest looked for, directly or through the indexes it lists. */
export interface TagOfDigest {
  name: string
  /** The tag's own manifest digest. */
  digest: Digest
  /** The index that lists the digest looked for; null when the tag points at it directly. */
  via: Digest | null
}

/**
 * Finds the index (at any depth under `digest`) that lists `target`, fetching each child index once
 * through the cache; image manifests are never fetched, as their digest is in their descriptor.
 */
async function indexListing(
  cache: ContentCache,
  repository: Repository,
  digest: Digest,
  target: Digest,
  depth: number,
): Promise<Digest | null> {
  const fetched = await cache.manifest(repository, digest)
  if (fetched.manifest.kind !== 'index') return null
  if (depth > MAX_INDEX_DEPTH) throw tooDeep(digest)
  const children = fetched.manifest.manifests
  if (children.some((child) => child.digest === target)) return digest
  for (const child of children) {
    if (!INDEX_MEDIA_TYPES.has(child.mediaType)) continue
    const found = await indexListing(cache, repository, child.digest, target, depth + 1)
    if (found) return found
  }
  return null
}

/**
 * The tags pointing at `target`, and the tags of indexes that list it, in the order of `tags`.
 * Costs one request per tag (the cache's tag lookup) plus one per distinct child index; a tag
 * deleted while listing is passed over.
 */
export async function* tagsOfDigest(
  cache: ContentCache,
  repository: Repository,
  tags: Iterable<string>,
  target: Digest,
  options: {window?: number} = {},
): AsyncGenerator<TagOfDigest> {
  const lookup = async (name: string): Promise<TagOfDigest | null> => {
    let digest: Digest
    try {
      digest = (await cache.manifest(repository, name)).digest
    } catch (error) {
      if (error instanceof ReglensError && error.kind === 'notFound') return null
      throw error
    }
    if (digest === target) return {name, digest, via: null}
    const via = await indexListing(cache, repository, digest, target, 1)
    return via ? {name, digest, via} : null
  }
  for await (const match of mapOrdered(tags, lookup, options.window ?? 64)) if (match) yield match
}
