import {RegistryError} from '../errors.js'
import type {Digest} from '../registry/digest.js'

/**
 * One graph of a registry's content, as plain data: manifests are nodes; an index's children, a
 * manifest's blobs and an artifact's `subject` are edges. Cleanup, gc-hint and sizing walk it with
 * the pure functions below instead of each keeping a graph of its own.
 */

export interface BlobEdge {
  digest: Digest
  size: number
}

export interface GraphNode {
  digest: Digest
  /** Bytes of the manifest itself (stored as a blob too). */
  manifestSize: number
  /** Config and layers this manifest references directly; schema 1 layers once each (the store holds each once). */
  blobs: BlobEdge[]
  /** Manifests an index lists, indexes included (the OCI image spec allows nesting). */
  children: Digest[]
  /** The manifest this one refers to (signatures, attestations, SBOMs: OCI 1.1 `subject` or a cosign tag). */
  subject?: Digest
}

export type ManifestGraph = ReadonlyMap<Digest, GraphNode>

/** Index nesting deeper than this is refused: real images nest two or three levels at most. */
export const MAX_INDEX_DEPTH = 8

export function tooDeep(digest: Digest, where = 'index'): RegistryError {
  return new RegistryError(`${where} ${digest} nests indexes deeper than ${MAX_INDEX_DEPTH} levels (or lists itself)`, 'badResponse')
}

/**
 * Digests of `roots` and every manifest their indexes list, at any depth (breadth first, in listed
 * order). A cycle or nesting deeper than MAX_INDEX_DEPTH is a bad response, never a hang.
 */
export function indexClosure(roots: Iterable<Digest>, graph: ManifestGraph): Set<Digest> {
  const seen = new Set<Digest>()
  for (const root of roots) {
    if (seen.has(root)) continue
    checkDepth(root, graph)
    seen.add(root)
  }
  for (const digest of seen) for (const child of graph.get(digest)?.children ?? []) seen.add(child)
  return seen
}

/** Throws when the indexes under `root` form a cycle or nest deeper than MAX_INDEX_DEPTH. */
function checkDepth(root: Digest, graph: ManifestGraph): void {
  const path: Digest[] = []
  const done = new Set<Digest>()
  const visit = (digest: Digest): void => {
    if (done.has(digest)) return
    if (path.includes(digest) || path.length > MAX_INDEX_DEPTH) throw tooDeep(root)
    const children = graph.get(digest)?.children ?? []
    if (children.length === 0) return
    path.push(digest)
    for (const child of children) visit(child)
    path.pop()
    done.add(digest)
  }
  visit(root)
}

/** Each subject's referrers, in graph order. */
export function referrersBySubject(graph: ManifestGraph): Map<Digest, Digest[]> {
  const bySubject = new Map<Digest, Digest[]>()
  for (const node of graph.values()) if (node.subject) bySubject.set(node.subject, [...(bySubject.get(node.subject) ?? []), node.digest])
  return bySubject
}

/**
 * `roots`, their index children and every referrer of anything reached, recursively (a signature of
 * an SBOM of an image): everything that stays or goes together with the roots.
 */
export function withReferrers(roots: Iterable<Digest>, graph: ManifestGraph): Set<Digest> {
  const bySubject = referrersBySubject(graph)
  const reached = indexClosure(roots, graph)
  for (const digest of reached) {
    for (const referrer of bySubject.get(digest) ?? [])
      if (!reached.has(referrer)) for (const added of indexClosure([referrer], graph)) reached.add(added)
  }
  return reached
}

/** Referrers whose subject is not among `present` (deleted, or never pushed): nothing keeps them. */
export function orphanReferrers(graph: ManifestGraph, present: ReadonlySet<Digest>): Digest[] {
  return [...graph.values()].filter((node) => node.subject !== undefined && !present.has(node.subject)).map((node) => node.digest)
}

/** The manifests and blobs reached from `roots` through index children (referrers are their own roots). */
function reach(roots: Iterable<Digest>, graph: ManifestGraph): Map<Digest, {size: number; manifest: boolean}> {
  const reached = new Map<Digest, {size: number; manifest: boolean}>()
  for (const digest of indexClosure(roots, graph)) {
    const node = graph.get(digest)
    if (!node) continue
    reached.set(digest, {size: node.manifestSize, manifest: true})
    for (const blob of node.blobs) if (!reached.get(blob.digest)?.manifest) reached.set(blob.digest, {size: blob.size, manifest: false})
  }
  return reached
}

export interface Reclaimable {
  bytes: number
  /** Largest first. */
  blobs: {digest: Digest; size: number; manifest: boolean}[]
}

/**
 * Which blobs garbage collection frees once `deleted` manifests are gone while `remaining` ones stay.
 * Blobs are shared registry-wide, so a blob is freed only when no remaining manifest references it.
 */
export function reclaimable(deleted: Iterable<Digest>, remaining: Iterable<Digest>, graph: ManifestGraph): Reclaimable {
  const kept = reach(remaining, graph)
  const freed = [...reach(deleted, graph)].filter(([digest]) => !kept.has(digest)).map(([digest, info]) => ({digest, ...info}))
  freed.sort((a, b) => b.size - a.size || (a.digest < b.digest ? -1 : 1))
  return {bytes: freed.reduce((sum, blob) => sum + blob.size, 0), blobs: freed}
}
