import pLimit from 'p-limit'

import type {ManifestFacts, ManifestFactsSource, RepositoryFacts, TagFact} from './facts.js'
import {getBlob} from '../registry/blobs.js'
import type {RegistryClient} from '../registry/client.js'
import type {Digest} from '../registry/digest.js'
import {getManifest, headManifest} from '../registry/manifests.js'
import {parseRepository, type Repository} from '../registry/reference.js'
import {listTags} from '../registry/tags.js'
import {MediaType} from '../registry/types/media-types.js'
import {RegistryError} from '../errors.js'

const IMAGE_CONFIGS: ReadonlySet<string> = new Set([MediaType.ociConfig, MediaType.dockerConfig])

/** Reads `created` from an untrusted config blob; anything but a parseable date is "undated". */
function createdOf(config: Buffer): string | undefined {
  try {
    const created = (JSON.parse(config.toString('utf8')) as {created?: unknown}).created
    return typeof created === 'string' && !Number.isNaN(Date.parse(created)) ? created : undefined
  } catch {
    return undefined
  }
}

/**
 * Manifest facts straight from the registry, each digest fetched once per run (manifests are
 * content-addressed, so a digest describes the same thing in every repository).
 */
export class RegistryFactsSource implements ManifestFactsSource {
  private readonly cache = new Map<Digest, Promise<ManifestFacts>>()

  constructor(
    private readonly client: RegistryClient,
    private readonly limit: ReturnType<typeof pLimit>,
  ) {}

  describe(repository: string, digest: Digest): Promise<ManifestFacts> {
    let facts = this.cache.get(digest)
    if (!facts) {
      facts = this.fetch(parseRepository(`${this.client.endpoint.host}/${repository}`), digest)
      this.cache.set(digest, facts)
    }
    return facts
  }

  private async fetch(repository: Repository, digest: Digest): Promise<ManifestFacts> {
    const fetched = await this.limit(() => getManifest(this.client, repository, digest))
    const manifest = fetched.manifest
    const base = {digest, mediaType: fetched.mediaType, manifestSize: fetched.size}
    if (manifest.kind === 'index') {
      const children = await Promise.all(manifest.manifests.map((entry) => this.describe(repository.repository, entry.digest)))
      const dates = children.map((child) => child.created).filter((created): created is string => created !== undefined)
      const created = dates.sort((a, b) => Date.parse(b) - Date.parse(a))[0]
      return {...base, kind: 'index', size: fetched.size + children.reduce((sum, child) => sum + child.size, 0), children: manifest.manifests.map((entry) => entry.digest), blobs: [], ...(created ? {created} : {})}
    }
    if (manifest.kind === 'schema1') {
      return {...base, kind: 'schema1', size: fetched.size, children: [], blobs: manifest.layers.map((layer) => ({digest: layer, size: 0}))}
    }
    const blobs = [manifest.config, ...manifest.layers].map((entry) => ({digest: entry.digest, size: entry.size}))
    const size = fetched.size + blobs.reduce((sum, blob) => sum + blob.size, 0)
    if (!IMAGE_CONFIGS.has(manifest.config.mediaType)) return {...base, kind: 'artifact', size, children: [], blobs}
    const created = createdOf(await this.limit(() => getBlob(this.client, repository, manifest.config.digest)))
    return {...base, kind: 'image', size, children: [], blobs, ...(created ? {created} : {})}
  }
}

/** Every tag of a repository with the digest it points at (HEADs run concurrently; a tag gone meanwhile is dropped). */
export async function resolveTags(client: RegistryClient, repository: Repository, limit: ReturnType<typeof pLimit>): Promise<TagFact[]> {
  const tags: string[] = []
  for await (const tag of listTags(client, repository)) tags.push(tag)
  const heads = await Promise.all(tags.map((tag) => limit(async () => ({tag, head: await headManifest(client, repository, tag)}))))
  return heads.filter((entry) => entry.head !== undefined).map((entry) => ({tag: entry.tag, digest: entry.head!.digest, mediaType: entry.head!.mediaType}))
}

export interface GatherOptions {
  limit: ReturnType<typeof pLimit>
  source: ManifestFactsSource
  /** Which tagged digests to describe (default: all). Indexes and their children are always described. */
  describe?: (tag: TagFact) => boolean
  /** Extra digests to describe (explicitly selected ones). */
  extra?: Digest[]
}

/** Tags, their digests and the facts of every manifest planning needs. An empty repository has no tags. */
export async function gatherRepository(client: RegistryClient, repository: Repository, options: GatherOptions): Promise<RepositoryFacts> {
  let tags: TagFact[]
  try {
    tags = await resolveTags(client, repository, options.limit)
  } catch (error) {
    // Registry 2.8 answers NAME_UNKNOWN for a repository whose last tag was deleted.
    if (error instanceof RegistryError && error.kind === 'notFound' && error.details.code === 'NAME_UNKNOWN') tags = []
    else throw error
  }
  const wanted = new Set<Digest>(options.extra ?? [])
  for (const tag of tags) if (!options.describe || options.describe(tag)) wanted.add(tag.digest)
  const manifests = new Map<Digest, ManifestFacts>()
  const visit = async (digest: Digest): Promise<void> => {
    if (manifests.has(digest)) return
    const facts = await options.source.describe(repository.repository, digest)
    manifests.set(digest, facts)
    await Promise.all(facts.children.map(visit))
  }
  await Promise.all([...wanted].map(visit))
  return {repository: repository.repository, tags, manifests}
}
