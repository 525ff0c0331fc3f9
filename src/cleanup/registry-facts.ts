import type {LimitFunction} from 'p-limit'

import type {ContentCache} from '../image/content-cache.js'
import {describeImage} from '../image/describe.js'
import {addApiReferrers, addWithChildren, manifestNode} from '../image/graph-source.js'
import type {ManifestFacts, ManifestFactsSource, RepositoryFacts, TagFact} from './facts.js'
import type {RegistryClient} from '../registry/client.js'
import type {Digest} from '../registry/digest.js'
import {headManifest} from '../registry/manifests.js'
import {repositoryIn, type Repository} from '../registry/reference.js'
import {RepositoryReferrers, subjectOfTag} from '../registry/referrers.js'
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
      facts = this.fetch(this.repositoryOf(repository), digest)
      this.described.set(digest, facts)
    }
    return facts
  }

  /** One GET by tag (through the cache's tag lookup) gives the digest and the content together. */
  async describeTag(repository: string, tag: string): Promise<ManifestFacts | undefined> {
    let digest: Digest
    try {
      digest = (await this.content.manifest(this.repositoryOf(repository), tag)).digest
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'notFound') return undefined
      throw error
    }
    return this.describe(repository, digest)
  }

  private repositoryOf(repository: string): Repository {
    return repositoryIn(this.content.client.endpoint.host, repository)
  }

  private async fetch(repository: Repository, digest: Digest): Promise<ManifestFacts> {
    const [fetched, node, description] = await Promise.all([
      this.content.manifest(repository, digest),
      manifestNode(this.content, repository, digest),
      describeImage(this.content, repository, digest),
    ])
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

/** The tags of a repository; one the registry no longer knows (2.8 after its last tag went: NAME_UNKNOWN) has none, unless it must exist. */
async function tagNames(client: RegistryClient, repository: Repository, mustExist: boolean): Promise<string[]> {
  const tags: string[] = []
  try {
    for await (const tag of listTags(client, repository)) tags.push(tag)
  } catch (error) {
    if (!mustExist && error instanceof RegistryError && error.kind === 'notFound' && error.details.code === 'NAME_UNKNOWN') return []
    throw error
  }
  return tags
}

/** Each tag with the digest it points at, by HEAD (concurrently; a tag gone meanwhile is dropped). */
async function headTags(client: RegistryClient, repository: Repository, tags: string[], limit: LimitFunction): Promise<TagFact[]> {
  const heads = await Promise.all(tags.map((tag) => limit(async () => ({tag, head: await headManifest(client, repository, tag)}))))
  return heads
    .filter((entry) => entry.head !== undefined)
    .map((entry) => ({tag: entry.tag, digest: entry.head!.digest, mediaType: entry.head!.mediaType}))
}

/** Every tag of a repository with its digest (by HEAD); none for a repository the registry no longer knows. */
export async function tagsOrNone(client: RegistryClient, repository: Repository, limit: LimitFunction): Promise<TagFact[]> {
  return headTags(client, repository, await tagNames(client, repository, false), limit)
}

export interface GatherOptions {
  limit: LimitFunction
  source: ManifestFactsSource
  /**
   * Which tagged digests to describe (default: all). Indexes and their children are always described.
   * With a predicate, tags are resolved by HEAD (cheap when most need no content); without one, each
   * tag costs one GET that resolves and describes it together.
   */
  describe?: (tag: TagFact) => boolean
  /** Extra digests to describe (explicitly selected ones). */
  extra?: Digest[]
  /** An unknown repository is an error (a repository the user named), not an empty one (a catalog entry). */
  mustExist?: boolean
}

/** Tags, their digests and the facts of every manifest planning needs. An empty repository has no tags. */
export async function gatherRepository(client: RegistryClient, repository: Repository, options: GatherOptions): Promise<RepositoryFacts> {
  const names = await tagNames(client, repository, options.mustExist ?? false)
  const manifests = new Map<Digest, ManifestFacts>()
  let tags: TagFact[]
  const describeTag = options.source.describeTag?.bind(options.source)
  if (!options.describe && describeTag) {
    const described = await Promise.all(names.map(async (tag) => ({tag, facts: await describeTag(repository.repository, tag)})))
    tags = described
      .filter((entry) => entry.facts !== undefined)
      .map(({tag, facts}) => ({tag, digest: facts!.digest, mediaType: facts!.mediaType}))
  } else {
    tags = await headTags(client, repository, names, options.limit)
  }
  const wanted = new Set<Digest>(options.extra ?? [])
  for (const tag of tags) if (!options.describe || options.describe(tag)) wanted.add(tag.digest)
  const describe = (child: Digest) => options.source.describe(repository.repository, child)
  await Promise.all([...wanted].map((digest) => addWithChildren(manifests, digest, describe)))
  if (options.describe) return {repository: repository.repository, tags, manifests}
  await addApiReferrers(
    new RepositoryReferrers(
      client,
      repository,
      tags.map((fact) => fact.tag),
    ),
    manifests,
    describe,
  )
  return {
    repository: repository.repository,
    tags,
    manifests,
    goneSubjects: await goneSubjects(client, repository, tags, manifests, options.limit),
  }
}

/** Subjects that referrers of the repository name and the registry no longer has: their referrers are orphans. */
async function goneSubjects(
  client: RegistryClient,
  repository: Repository,
  tags: TagFact[],
  manifests: ReadonlyMap<Digest, ManifestFacts>,
  limit: LimitFunction,
): Promise<Set<Digest>> {
  const named = new Set<Digest>()
  for (const fact of tags) {
    const subject = subjectOfTag(fact.tag)?.subject
    if (subject) named.add(subject)
  }
  for (const node of manifests.values()) if (node.subject) named.add(node.subject)
  const unknown = [...named].filter((digest) => !manifests.has(digest))
  const heads = await Promise.all(
    unknown.map((digest) => limit(async () => ({digest, head: await headManifest(client, repository, digest)}))),
  )
  return new Set(heads.filter((entry) => entry.head === undefined).map((entry) => entry.digest))
}
