import {BlobUsage} from './blob-usage.js'
import type {ImageReport, RepositoryReport} from './model.js'
import type {TagFact} from '../cleanup/facts.js'
import type {ContentCache} from '../image/content-cache.js'
import {blobsOf, type ImageDescription} from '../image/describe.js'
import {formatPlatform} from '../image/platform.js'
import {sizeRepository} from '../image/repository-size.js'
import {SizeTally} from '../image/size.js'
import type {Digest} from '../registry/digest.js'
import {parseRepository} from '../registry/reference.js'
import {mapOrdered} from '../registry/stream.js'

/** What one pass over the registry yields: the `repos list --size` figures plus each image and tag. */
export interface RegistryUsage {
  repositories: RepositoryReport[]
  images: ImageReport[]
  /** Each repository's tags and the digest each points at (for cleanup planning without more requests). */
  tags: Map<string, TagFact[]>
  registry: SizeTally
  blobs: BlobUsage
  failed: {repository: string; tag: string; error: string}[]
}

export interface UsagePassOptions {
  /** Called after each repository, in catalog order. */
  onRepository?: (done: number, name: string) => void
  /** Repositories sized at once (each one describes its tags concurrently already). */
  window?: number
}

function platformsOf(description: ImageDescription): ImageReport['platforms'] {
  if (description.content?.platform) return [{platform: formatPlatform(description.content.platform), digest: description.digest}]
  return description.platforms.map((image) => ({platform: formatPlatform(image.platform), digest: image.digest}))
}

function dateOf(created: string | undefined): number | undefined {
  const time = created === undefined ? Number.NaN : Date.parse(created)
  return Number.isNaN(time) ? undefined : time
}

/**
 * Sizes every repository exactly as `repos list --size` does (same manifest requests, each digest once
 * through the shared cache, plus each distinct image config for its created date), and keeps what a report needs besides: images, their tags and ages, and which
 * repositories share each blob.
 */
export async function registryUsage(
  cache: ContentCache,
  names: AsyncIterable<string>,
  options: UsagePassOptions = {},
): Promise<RegistryUsage> {
  const host = cache.client.endpoint.host
  const usage: RegistryUsage = {
    repositories: [],
    images: [],
    tags: new Map(),
    registry: new SizeTally(),
    blobs: new BlobUsage(),
    failed: [],
  }
  const sizeOne = async (name: string) => {
    const images = new Map<Digest, ImageReport>()
    const tags: TagFact[] = []
    // Configs too: image ages come from their created dates.
    const size = await sizeRepository(cache, parseRepository(`${host}/${name}`), usage.registry, {
      configs: 'all',
      onTag: ({name: tag, description}) => {
        if (!description) return
        tags.push({tag, digest: description.digest, mediaType: description.mediaType})
        let image = images.get(description.digest)
        if (!image) {
          image = {
            repository: name,
            digest: description.digest,
            tags: [],
            kind: description.kind,
            created: description.created ?? null,
            size: description.size,
            platforms: platformsOf(description),
            scans: [],
          }
          images.set(description.digest, image)
          usage.blobs.add(name, blobsOf(description), dateOf(description.created))
        }
        image.tags.push(tag)
      },
    })
    return {size, images: [...images.values()], tags}
  }
  let done = 0
  for await (const {size, images, tags} of mapOrdered(names, sizeOne, options.window ?? 4)) {
    usage.repositories.push({name: size.name, tags: size.tags, images: images.length, size: size.size, blobs: size.blobs})
    usage.images.push(...images.sort((a, b) => (a.digest < b.digest ? -1 : 1)))
    usage.tags.set(size.name, tags)
    for (const failure of size.failed) usage.failed.push({repository: size.name, ...failure})
    options.onRepository?.(++done, size.name)
  }
  return usage
}
