import pLimit, {type LimitFunction} from 'p-limit'

import type {TagFact} from '../cleanup/facts.js'
import {tagsOrNone} from '../cleanup/registry-facts.js'
import type {ContentCache} from '../image/content-cache.js'
import type {GraphNode} from '../image/graph.js'
import {addWithChildren, manifestNode} from '../image/graph-source.js'
import type {Digest} from '../registry/digest.js'
import {repositoryIn, type Repository} from '../registry/reference.js'

/** Every tag of the given repositories and every manifest they reach (each digest fetched once). */
export interface RegistryGraph {
  tags: Map<string, TagFact[]>
  nodes: Map<Digest, GraphNode>
}

/** Adds `digest` and everything it lists, at any depth, to the graph. */
export function addManifest(graph: RegistryGraph, cache: ContentCache, repository: Repository, digest: Digest): Promise<void> {
  return addWithChildren(graph.nodes, digest, (child) => manifestNode(cache, repository, child))
}

export async function walkRegistry(cache: ContentCache, repositories: string[], limit: LimitFunction, concurrency: number): Promise<RegistryGraph> {
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
        await Promise.all([...new Set(tags.map((tag) => tag.digest))].map((digest) => addManifest(graph, cache, repository, digest)))
      }),
    ),
  )
  return graph
}
