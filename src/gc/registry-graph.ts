import pLimit, {type LimitFunction} from 'p-limit'

import type {ManifestNode} from './reclaim.js'
import type {TagFact} from '../cleanup/facts.js'
import {tagsOrNone} from '../cleanup/registry-facts.js'
import type {ContentCache} from '../image/content-cache.js'
import type {Digest} from '../registry/digest.js'
import {repositoryIn, type Repository} from '../registry/reference.js'

/** Every tag of the given repositories and every manifest they reach (each digest fetched once). */
export interface RegistryGraph {
  tags: Map<string, TagFact[]>
  nodes: Map<Digest, ManifestNode>
}

export async function manifestNode(cache: ContentCache, repository: Repository, digest: Digest): Promise<ManifestNode> {
  const fetched = await cache.manifest(repository, digest)
  const manifest = fetched.manifest
  const base = {digest, size: fetched.size}
  if (manifest.kind === 'index') return {...base, blobs: [], children: manifest.manifests.map((entry) => entry.digest)}
  // Schema 1 records no layer sizes: each comes from a HEAD of the blob.
  if (manifest.kind === 'schema1') return {...base, blobs: await Promise.all([...new Set(manifest.layers)].map(async (layer) => ({digest: layer, size: await cache.blobSize(repository, layer)}))), children: []}
  return {...base, blobs: [manifest.config, ...manifest.layers].map((entry) => ({digest: entry.digest, size: entry.size})), children: []}
}

/** Adds `digest` and everything it lists to the graph. */
export async function addManifest(graph: RegistryGraph, cache: ContentCache, repository: Repository, digest: Digest): Promise<void> {
  if (graph.nodes.has(digest)) return
  const node = await manifestNode(cache, repository, digest)
  graph.nodes.set(digest, node)
  await Promise.all(node.children.map((child) => addManifest(graph, cache, repository, child)))
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
