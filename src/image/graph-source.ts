import type {ContentCache} from './content-cache.js'
import {type GraphNode, MAX_INDEX_DEPTH, tooDeep} from './graph.js'
import type {Digest} from '../registry/digest.js'
import type {Repository} from '../registry/reference.js'
import type {RepositoryReferrers} from '../registry/referrers.js'

/** The graph node of one manifest, read through the run's ContentCache (each digest fetched once). */
export async function manifestNode(cache: ContentCache, repository: Repository, digest: Digest): Promise<GraphNode> {
  const fetched = await cache.manifest(repository, digest)
  const manifest = fetched.manifest
  const base = {digest, manifestSize: fetched.size}
  if (manifest.kind === 'index') return {...base, blobs: [], children: manifest.manifests.map((entry) => entry.digest)}
  // Schema 1 records no layer sizes: each distinct layer's comes from a HEAD of the blob.
  if (manifest.kind === 'schema1')
    return {
      ...base,
      blobs: await Promise.all(
        [...new Set(manifest.layers)].map(async (layer) => ({digest: layer, size: await cache.blobSize(repository, layer)})),
      ),
      children: [],
    }
  return {
    ...base,
    blobs: [manifest.config, ...manifest.layers].map((entry) => ({digest: entry.digest, size: entry.size})),
    children: [],
    ...(manifest.subject ? {subject: manifest.subject.digest} : {}),
  }
}

/**
 * Adds `digest` and every manifest its indexes list (at any depth) to `nodes`, loading each node
 * once. Nesting deeper than MAX_INDEX_DEPTH stops with a bad response instead of walking on.
 */
export async function addWithChildren<T extends GraphNode>(
  nodes: Map<Digest, T>,
  digest: Digest,
  load: (digest: Digest) => Promise<T>,
  depth = 0,
  root = digest,
): Promise<void> {
  if (nodes.has(digest)) return
  if (depth > MAX_INDEX_DEPTH) throw tooDeep(root)
  const node = await load(digest)
  if (nodes.has(digest)) return
  nodes.set(digest, node)
  await Promise.all(node.children.map((child) => addWithChildren(nodes, child, load, depth + 1, root)))
}

/**
 * On a registry with the referrers API, referrers need no tag: each manifest's are asked for (and
 * theirs in turn). Without the API (one probe tells) referrers are tagged and already gathered.
 */
export async function addApiReferrers<T extends GraphNode>(
  finder: RepositoryReferrers,
  manifests: Map<Digest, T>,
  describe: (digest: Digest) => Promise<T>,
): Promise<void> {
  const first = manifests.keys().next()
  if (first.done || (await finder.method(first.value)) !== 'referrers-api') return
  const asked = new Set<Digest>()
  for (let round = 0; round <= MAX_INDEX_DEPTH; round++) {
    const pending = [...manifests.keys()].filter((digest) => !asked.has(digest))
    if (pending.length === 0) return
    for (const digest of pending) asked.add(digest)
    const found = (await Promise.all(pending.map((digest) => finder.of(digest)))).flat()
    await Promise.all(
      found.map(async (referrer) => {
        await addWithChildren(manifests, referrer.digest, describe)
        const node = manifests.get(referrer.digest)!
        if (!node.subject) manifests.set(referrer.digest, {...node, subject: referrer.subject})
      }),
    )
  }
}
