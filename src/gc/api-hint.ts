import pLimit from 'p-limit'

import {reclaimable, type Reclaimable} from '../image/graph.js'
import {addManifest, walkRegistry} from './registry-graph.js'
import type {Plan} from '../cleanup/plan.js'
import type {ContentCache} from '../image/content-cache.js'
import {listRepositories} from '../registry/catalog.js'
import {deletionEnabled} from '../registry/delete.js'
import type {Digest} from '../registry/digest.js'
import {repositoryIn} from '../registry/reference.js'
import {errorMessage, RegistryError} from '../errors.js'

export interface ApiHint {
  registry: string
  deletionEnabled: boolean
  repositories: number
  /** Multi-arch indexes exist: registry 2.x --delete-untagged would break them. */
  hasIndexes: boolean
  /** What GC frees once the plan has run (absent without a plan). */
  reclaimable?: Reclaimable & {unreadable: Digest[]}
}

/**
 * Over the API: probes whether deletion is enabled, walks the catalog (blobs are shared across
 * repositories) and, for a plan, computes the blobs only the plan's deleted manifests reference.
 */
export async function apiHint(cache: ContentCache, options: {concurrency: number; plan?: Plan}): Promise<ApiHint> {
  const plan = options.plan
  const limit = pLimit(options.concurrency)
  const client = cache.client
  const host = client.endpoint.host
  const names: string[] = []
  for await (const name of listRepositories(client)) names.push(name)
  // Any repository will do for the probe; 2.8 answers an unknown one the same way.
  const probeRepository = plan?.items[0]?.repository ?? names[0] ?? 'reglens/deletion-probe'
  const enabled = await deletionEnabled(client, repositoryIn(host, probeRepository))
  const graph = await walkRegistry(cache, names, limit, options.concurrency)
  const hasIndexes = [...graph.nodes.values()].some((node) => node.children.length > 0)
  const hint: ApiHint = {registry: host, deletionEnabled: enabled, repositories: names.length, hasIndexes}
  if (!plan) return hint

  const removedTags = new Set(plan.items.filter((entry) => entry.action !== 'keep' && entry.tag !== null).map((entry) => `${entry.repository}:${entry.tag}`))
  const deleted = new Set(plan.items.filter((entry) => entry.action === 'delete').map((entry) => entry.digest))
  const remaining = new Set<Digest>()
  for (const [repository, tags] of graph.tags) for (const tag of tags) if (!removedTags.has(`${repository}:${tag.tag}`)) remaining.add(tag.digest)
  // An untagged image stays as a manifest revision, and plain garbage-collect keeps what it references.
  for (const entry of plan.items) if (entry.action === 'untag') remaining.add(entry.digest)
  const unreadable: Digest[] = []
  await Promise.all(
    plan.items
      .filter((entry) => entry.action === 'delete')
      .map(async (entry) => {
        try {
          await addManifest(graph, cache, repositoryIn(host, entry.repository), entry.digest)
        } catch (error) {
          if (error instanceof RegistryError && error.kind === 'notFound') unreadable.push(entry.digest)
          else throw new RegistryError(`cannot read ${entry.repository}@${entry.digest}: ${errorMessage(error)}`, error instanceof RegistryError ? error.kind : 'internal')
        }
      }),
  )
  return {...hint, reclaimable: {...reclaimable(deleted, remaining, graph.nodes), unreadable: [...new Set(unreadable)]}}
}
