import pLimit, {type LimitFunction} from 'p-limit'

import type {TagFact} from '../cleanup/facts.js'
import {tagsOrNone} from '../cleanup/registry-facts.js'
import type {ContentCache} from '../image/content-cache.js'
import type {GraphNode} from '../image/graph.js'
import {addApiReferrers, addWithChildren, manifestNode} from '../image/graph-source.js'
import type {Digest} from '../registry/digest.js'
import {repositoryIn, type Repository} from '../registry/reference.js'
import {RepositoryReferrers} from '../registry/referrers.js'

/** Every tag of the given repositories, every manifest they reach and their referrers (each digest fetched once). */
export interface RegistryGraph {
  tags: Map<string, TagFact[]>
  nodes: Map<Digest, GraphNode>
}

/** Adds `digest` and everything it lists, at any depth, to the graph. */
export function addManifest(graph: RegistryGraph, cache: ContentCache, repository: Repository, digest: Digest): Promise<void> {
  return addWithChildren(graph.nodes, digest, (child) => manifestNode(cache, repository, child))
}

export async function walkRegistry(
  cache: ContentCache,
  repositories: string[],
  limit: LimitFunction,
  concurrency: number,
): Promise<RegistryGraph> {
  const graph: RegistryGraph = {tags: new Map(), nodes: new Map()}
  const host = cache.client.endpoint.host
  // Repositories get their own limit: their requests go through `limit` and the cache's, which they must not hold.
  const perRepository = pLimit(concurrency)
  await Promise.all(
    repositories.map((name) =>
      perRepository(async () => {
        const repository = repositoryIn(host, name)
        const tags = await tagsOrNone(cache.client, repository, limit)
        graph.tags.set(name, tags)
        // The repository's own nodes first: on a registry with the referrers API, untagged referrers
        // (and theirs) are asked for per manifest, one probe per repository telling whether it exists.
        const reached = new Map<Digest, GraphNode>()
        const load = (digest: Digest) => manifestNode(cache, repository, digest)
        await Promise.all([...new Set(tags.map((tag) => tag.digest))].map((digest) => addWithChildren(reached, digest, load)))
        await addApiReferrers(
          new RepositoryReferrers(
            cache.client,
            repository,
            tags.map((tag) => tag.tag),
          ),
          reached,
          load,
        )
        for (const [digest, node] of reached) if (!graph.nodes.get(digest)?.subject) graph.nodes.set(digest, node)
      }),
    ),
  )
  return graph
}
