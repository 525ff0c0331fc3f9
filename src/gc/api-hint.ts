import pLimit from 'p-limit'

import {type ManifestGraph, reclaimable, type Reclaimable} from '../image/graph.js'
import {EMPTY_CONFIG, placeholderManifest} from '../cleanup/untag.js'
import {digestOf} from '../registry/digest.js'
import {addManifest, walkRegistry} from './registry-graph.js'
import type {Plan} from '../cleanup/plan.js'
import type {ContentCache} from '../image/content-cache.js'
import {listRepositories} from '../registry/catalog.js'
import {deletionEnabled} from '../registry/delete.js'
import type {Digest} from '../registry/digest.js'
import {repositoryIn} from '../registry/reference.js'
import {errorMessage, RegistryError} from '../errors.js'
import {apiWarnings, type GcWarning} from './warnings.js'

export interface ApiHint {
  registry: string
  deletionEnabled: boolean
  repositories: number
  /** Multi-arch indexes exist: registry 2.x --delete-untagged would break them. */
  hasIndexes: boolean
  /** What GC frees once the plan has run (absent without a plan). */
  reclaimable?: Reclaimable & {unreadable: Digest[]; placeholders: {manifests: number; bytes: number}}
  warnings: GcWarning[]
}

/**
 * Over the API: probes whether deletion is enabled, walks the catalog (blobs are shared across
 * repositories) and, for a plan, computes the blobs only the plan's deleted manifests reference.
 */
export async function apiHint(cache: ContentCache, options: {concurrency: number; plan?: Plan}): Promise<ApiHint> {
  const hint = await walkForHint(cache, options)
  return {...hint, warnings: apiWarnings(hint)}
}

async function walkForHint(cache: ContentCache, options: {concurrency: number; plan?: Plan}): Promise<Omit<ApiHint, 'warnings'>> {
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
  const hint: Omit<ApiHint, 'warnings'> = {registry: host, deletionEnabled: enabled, repositories: names.length, hasIndexes}
  if (!plan) return hint

  const removedTags = new Set(
    plan.items.filter((entry) => entry.action !== 'keep' && entry.tag !== null).map((entry) => `${entry.repository}:${entry.tag}`),
  )
  const deleted = new Set(plan.items.filter((entry) => entry.action === 'delete').map((entry) => entry.digest))
  const remaining = new Set<Digest>()
  for (const [repository, tags] of graph.tags)
    for (const tag of tags) if (!removedTags.has(`${repository}:${tag.tag}`)) remaining.add(tag.digest)
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
          else
            throw new RegistryError(
              `cannot read ${entry.repository}@${entry.digest}: ${errorMessage(error)}`,
              error instanceof RegistryError ? error.kind : 'internal',
            )
        }
      }),
  )
  const freed = reclaimable(deleted, remaining, graph.nodes)
  return {...hint, reclaimable: {...withPlaceholders(freed, plan, remaining, graph.nodes), unreadable: [...new Set(unreadable)]}}
}

/**
 * Registry 2.8 has no tag delete: each untag of the plan pushes a unique placeholder manifest (and the
 * empty `{}` blob) and deletes it, leaving both for GC. Their digests are random, so they are counted,
 * not listed; the empty blob is listed when nothing remaining references it.
 */
function withPlaceholders(
  freed: Reclaimable,
  plan: Plan,
  remaining: Iterable<Digest>,
  nodes: ManifestGraph,
): Reclaimable & {placeholders: {manifests: number; bytes: number}} {
  const untags = plan.items.filter((entry) => entry.action === 'untag' && entry.tag !== null)
  if (untags.length === 0) return {...freed, placeholders: {manifests: 0, bytes: 0}}
  const empty = digestOf(EMPTY_CONFIG)
  const placeholderBytes = untags.reduce((sum, entry) => sum + placeholderManifest(empty, entry.tag!).length, 0)
  const emptyKept = [...remaining].some((digest) => nodes.get(digest)?.blobs.some((blob) => blob.digest === empty))
  const blobs =
    emptyKept || freed.blobs.some((blob) => blob.digest === empty)
      ? freed.blobs
      : [...freed.blobs, {digest: empty, size: EMPTY_CONFIG.length, manifest: false}]
  const blobBytes = blobs.reduce((sum, blob) => sum + blob.size, 0)
  return {bytes: blobBytes + placeholderBytes, blobs, placeholders: {manifests: untags.length, bytes: placeholderBytes}}
}
