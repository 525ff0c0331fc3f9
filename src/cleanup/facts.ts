import type {Digest} from '../registry/digest.js'

/**
 * What planning needs to know about a repository, fetched once and then treated as plain data, so
 * that planning is pure and testable without a registry.
 */

export interface BlobFact {
  digest: Digest
  size: number
}

export interface ManifestFacts {
  digest: Digest
  mediaType: string
  kind: 'image' | 'index' | 'artifact' | 'schema1'
  /** Bytes of the manifest itself. */
  manifestSize: number
  /** The config's `created` (indexes: the newest platform's); absent when no config says. */
  created?: string
  /** Manifest + config + layers, and for indexes every child's total. */
  size: number
  /** Manifests an index lists (platforms and attestations); empty for images. */
  children: Digest[]
  /** Config and layers this manifest references directly (not its children's). */
  blobs: BlobFact[]
  /** reglens's own untag placeholder: a tag on it is the leftover of an interrupted untag. */
  placeholder?: true
}

export interface TagFact {
  tag: string
  digest: Digest
  /** From the HEAD, when known: lets a caller describe only indexes. */
  mediaType?: string
}

export interface RepositoryFacts {
  repository: string
  tags: TagFact[]
  /** Every tagged digest and every child of a tagged index. */
  manifests: ReadonlyMap<Digest, ManifestFacts>
}

/** Where facts about a manifest come from (the registry in the CLI, fixtures in tests). */
export interface ManifestFactsSource {
  describe(repository: string, digest: Digest): Promise<ManifestFacts>
  /**
   * Resolves and describes a tag at once (one GET brings digest and content); undefined when the tag
   * is gone. Without it, tags are resolved by HEAD first.
   */
  describeTag?(repository: string, tag: string): Promise<ManifestFacts | undefined>
}

/** Digests of `roots` and, transitively, every child they list (breadth first, in listed order). */
export function closure(roots: Iterable<Digest>, manifests: ReadonlyMap<Digest, ManifestFacts>): Set<Digest> {
  const seen = new Set<Digest>(roots)
  for (const digest of seen) for (const child of manifests.get(digest)?.children ?? []) seen.add(child)
  return seen
}
