import type {LimitFunction} from 'p-limit'

import type {ContentCache} from '../image/content-cache.js'
import {describeImage} from '../image/describe.js'
import {addWithChildren, manifestNode} from '../image/graph-source.js'
import type {ManifestFacts, ManifestFactsSource, RepositoryFacts, TagFact} from './facts.js'
import type {RegistryClient} from '../registry/client.js'
import type {Digest} from '../registry/digest.js'
import {headManifest} from '../registry/manifests.js'
import {repositoryIn, type Repository} from '../registry/reference.js'
import {listTags} from '../registry/tags.js'
import {RegistryError} from '../errors.js'

/**
 * Manifest facts from the registry through the shared ContentCache and describeImage (the same
 * created dates and sizes `image inspect` and `image size` show), each digest described once per run.
 */
export class RegistryFactsSource implements ManifestFactsSource {
  private readonly described = new Map<Digest, Promise<ManifestFacts>>()

  constructor(private readonly content: ContentCache) {}

  describe(repository: string, digest: Digest): Promise<ManifestFacts> {
    let facts = this.described.get(digest)
    if (!facts) {
      facts = this.fetch(repositoryIn(this.content.client.endpoint.host, repository), digest)
      this.described.set(digest, facts)
    }
    return facts
  }

  private async fetch(repository: Repository, digest: Digest): Promise<ManifestFacts> {
    const [fetched, node, description] = await Promise.all([this.content.manifest(repository, digest), manifestNode(this.content, repository, digest), describeImage(this.content, repository, digest)])
    return {
      ...node,
      mediaType: fetched.mediaType,
      kind: description.kind,
      size: description.size,
      ...(description.created === undefined ? {} : {created: description.created}),
      ...(description.placeholder ? {placeholder: true as const} : {}),
    }
  }
}

/** Every tag of a repository with the digest it points at (HEADs run concurrently; a tag gone meanwhile is dropped). */
export async function resolveTags(client: RegistryClient, repository: Repository, limit: LimitFunction): Promise<TagFact[]> {
  const tags: string[] = []
  for await (const tag of listTags(client, repository)) tags.push(tag)
  const heads = await Promise.all(tags.map((tag) => limit(async () => ({tag, head: await headManifest(client, repository, tag)}))))
  return heads.filter((entry) => entry.head !== undefined).map((entry) => ({tag: entry.tag, digest: entry.head!.digest, mediaType: entry.head!.mediaType}))
}

/** Like resolveTags, but a repository 2.8 no longer knows (its last tag was deleted: NAME_UNKNOWN) has none. */
export async function tagsOrNone(client: RegistryClient, repository: Repository, limit: LimitFunction): Promise<TagFact[]> {
  try {
    return await resolveTags(client, repository, limit)
  } catch (error) {
    if (error instanceof RegistryError && error.kind === 'notFound' && error.details.code === 'NAME_UNKNOWN') return []
    throw error
  }
}

export interface GatherOptions {
  limit: LimitFunction
  source: ManifestFactsSource
  /** Which tagged digests to describe (default: all). Indexes and their children are always described. */
  describe?: (tag: TagFact) => boolean
  /** Extra digests to describe (explicitly selected ones). */
  extra?: Digest[]
  /** An unknown repository is an error (a repository the user named), not an empty one (a catalog entry). */
  mustExist?: boolean
}

/** Tags, their digests and the facts of every manifest planning needs. An empty repository has no tags. */
export async function gatherRepository(client: RegistryClient, repository: Repository, options: GatherOptions): Promise<RepositoryFacts> {
  const tags = await (options.mustExist ? resolveTags : tagsOrNone)(client, repository, options.limit)
  const wanted = new Set<Digest>(options.extra ?? [])
  for (const tag of tags) if (!options.describe || options.describe(tag)) wanted.add(tag.digest)
  const manifests = new Map<Digest, ManifestFacts>()
  await Promise.all([...wanted].map((digest) => addWithChildren(manifests, digest, (child) => options.source.describe(repository.repository, child))))
  return {repository: repository.repository, tags, manifests}
}
