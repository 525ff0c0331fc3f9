import type {UntaggedReport} from './model.js'
import {type GraphNode, reclaimable} from '../image/graph.js'
import {readStorage, type StorageLayout} from '../gc/storage.js'
import type {Digest} from '../registry/digest.js'

function nodesOf(layout: StorageLayout): Map<Digest, GraphNode> {
  const nodes = new Map<Digest, GraphNode>()
  for (const manifest of layout.manifests.values()) {
    const children = new Set(manifest.children)
    const blobs = manifest.references
      .filter((digest) => !children.has(digest))
      .map((digest) => ({digest, size: layout.blobs.get(digest) ?? 0}))
    nodes.set(manifest.digest, {
      digest: manifest.digest,
      manifestSize: layout.blobs.get(manifest.digest) ?? 0,
      blobs,
      children: manifest.children,
    })
  }
  return nodes
}

/**
 * Manifests that no tag reaches (not tagged, and not a platform of a tagged index), read from the
 * registry's filesystem storage since the API cannot list them, for the repositories the report covers;
 * and the bytes deleting them would let garbage collection free (blobs no tagged manifest uses).
 */
export async function untaggedManifests(storageRoot: string, repositories: ReadonlySet<string>): Promise<UntaggedReport> {
  const layout = await readStorage(storageRoot)
  const nodes = nodesOf(layout)
  const reached = new Set<Digest>()
  const visit = (digest: Digest) => {
    if (reached.has(digest)) return
    reached.add(digest)
    for (const child of nodes.get(digest)?.children ?? []) visit(child)
  }
  for (const repository of layout.repositories) for (const tag of repository.tags) visit(tag.digest)
  const manifests = layout.repositories
    .filter((repository) => repositories.has(repository.name))
    .flatMap((repository) =>
      repository.revisions.filter((digest) => !reached.has(digest)).map((digest) => ({repository: repository.name, digest})),
    )
  manifests.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : a.digest < b.digest ? -1 : 1))
  return {manifests, size: reclaimable(new Set(manifests.map((entry) => entry.digest)), reached, nodes).bytes}
}
