import type {GraphNode} from '../image/graph.js'
import type {Digest} from '../registry/digest.js'

/**
 * What planning needs to know about a repository, fetched once and then treated as plain data, so
 * that planning is pure and testable without a registry.
 */

/** A manifest as planning sees it: its graph node (children, blobs, subject) plus what rules judge by. */
export interface ManifestFacts extends GraphNode {
  mediaType: string
  kind: 'image' | 'index' | 'artifact' | 'schema1'
  /** The config's `created` (indexes: the newest platform's); absent when no config says. */
  created?: string
  /** Manifest + config + layers, and for indexes every child's total. */
  size: number
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
}
