import type {Digest} from '../registry/digest.js'

/**
 * Which blobs garbage collection frees once some manifests are deleted, over facts gathered through
 * the API. Blobs are shared registry-wide, so a blob is freed only when no manifest that remains, in
 * any repository, references it.
 */

export interface ManifestNode {
  digest: Digest
  /** Bytes of the manifest itself (it is a blob too). */
  size: number
  /** Config and layers. */
  blobs: {digest: Digest; size: number}[]
  /** An index's manifests. */
  children: Digest[]
}

export interface Reclaimable {
  bytes: number
  blobs: {digest: Digest; size: number; manifest: boolean}[]
}

function reach(roots: Iterable<Digest>, nodes: ReadonlyMap<Digest, ManifestNode>): Map<Digest, {size: number; manifest: boolean}> {
  const reached = new Map<Digest, {size: number; manifest: boolean}>()
  const stack = [...roots]
  while (stack.length > 0) {
    const digest = stack.pop()!
    const node = nodes.get(digest)
    if (reached.get(digest)?.manifest || !node) continue
    reached.set(digest, {size: node.size, manifest: true})
    for (const blob of node.blobs) if (!reached.has(blob.digest)) reached.set(blob.digest, {size: blob.size, manifest: false})
    stack.push(...node.children)
  }
  return reached
}

/** Blobs reachable from the deleted manifests and from no remaining one. */
export function reclaimable(deleted: Iterable<Digest>, remaining: Iterable<Digest>, nodes: ReadonlyMap<Digest, ManifestNode>): Reclaimable {
  const kept = reach(remaining, nodes)
  const freed = [...reach(deleted, nodes)].filter(([digest]) => !kept.has(digest)).map(([digest, info]) => ({digest, ...info}))
  freed.sort((a, b) => b.size - a.size || (a.digest < b.digest ? -1 : 1))
  return {bytes: freed.reduce((sum, blob) => sum + blob.size, 0), blobs: freed}
}
