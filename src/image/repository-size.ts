import type {ContentCache} from './content-cache.js'
import {blobsOf, type ConfigFetch} from './describe.js'
import {SizeTally} from './size.js'
import {describeTags, type TagDescription} from './tags.js'
import {ReglensError} from '../errors.js'
import {type Repository, repositoryIn} from '../registry/reference.js'
import {mapOrdered} from '../registry/stream.js'
import {listTags} from '../registry/tags.js'

export interface RepositorySize {
  name: string
  tags: number
  /** Exact bytes of the distinct blobs (configs and layers) of every tag and platform. */
  size: number
  /** Distinct blobs counted. */
  blobs: number
  /** Tags that could not be described, with why. */
  failed: {tag: string; error: string}[]
}

export interface SizeRepositoryOptions {
  /** Receives every tag as it is described (or failed), for callers that want more than the totals. */
  onTag?: (tag: TagDescription) => void
  /** Configs to fetch (default none: sizes need only manifests); `all` gives every image its created date. */
  configs?: ConfigFetch
}

/**
 * Sizes a repository: every tag described (each digest fetched once), blobs shared by tags and
 * platforms counted once. `registry`, when given, also receives every blob, for a registry-wide total.
 */
export async function sizeRepository(
  cache: ContentCache,
  repository: Repository,
  registry?: SizeTally,
  options: SizeRepositoryOptions = {},
): Promise<RepositorySize> {
  const tally = new SizeTally()
  const result: RepositorySize = {name: repository.repository, tags: 0, size: 0, blobs: 0, failed: []}
  try {
    // Sizes come from the manifests: by default no config is fetched but to tell an undeclared index entry from an attestation.
    for await (const tag of describeTags(cache, repository, listTags(cache.client, repository), {configs: options.configs ?? 'none'})) {
      result.tags++
      options.onTag?.(tag)
      if (!tag.description) {
        result.failed.push({tag: tag.name, error: tag.error?.message ?? 'unknown failure'})
        continue
      }
      const blobs = blobsOf(tag.description)
      tally.add(blobs)
      registry?.add(blobs)
    }
  } catch (error) {
    // A repository whose tags were all deleted can still be in the catalog, answering 404 for its tag list.
    if (!(error instanceof ReglensError && error.kind === 'notFound' && result.tags === 0)) throw error
  }
  return {...result, size: tally.total, blobs: tally.blobs}
}

export interface RegistrySizes {
  /** Every blob of every repository, each distinct one once: the registry-wide total once `repositories` is read. */
  registry: SizeTally
  /** Tags sized so far (all of them once `repositories` is read). */
  tags: number
  /** Each repository's size, in the order of the names, as it is read. */
  repositories: AsyncIterable<RepositorySize>
}

/** Sizes the named repositories of the cache's registry, a few at a time: each one already describes its tags concurrently. */
export function sizeRepositories(cache: ContentCache, names: AsyncIterable<string> | Iterable<string>): RegistrySizes {
  const host = cache.client.endpoint.host
  const registry = new SizeTally()
  const sizes: RegistrySizes = {
    registry,
    tags: 0,
    repositories: mapOrdered(
      names,
      async (name) => {
        const repository = await sizeRepository(cache, repositoryIn(host, name), registry)
        sizes.tags += repository.tags
        return repository
      },
      4,
    ),
  }
  return sizes
}
