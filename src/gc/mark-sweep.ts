import type {StorageLayout} from './storage.js'
import type {Digest} from '../registry/digest.js'

/**
 * A pure model of registry 2.8's `garbage-collect` over a storage layout (checked blob-for-blob
 * against the real binary in the tests). Mark: every manifest revision of every repository — with
 * deleteUntagged only those some tag's current link points at — plus what it references: config and
 * layers, or an index's child manifests (as blobs: a child's own layers are marked only through the
 * child's own revision). Sweep: every blob in the store that is not marked.
 */

export interface GcOptions {
  deleteUntagged?: boolean
}

export interface BrokenIndex {
  repository: string
  index: Digest
  tags: string[]
  /** Child manifests --delete-untagged would delete (with their layers), breaking the index. */
  children: Digest[]
}

export interface GcResult {
  /** Blobs the sweep deletes, largest first. */
  blobs: {digest: Digest; size: number; manifest: boolean}[]
  /** Untagged manifests deleted with --delete-untagged. */
  manifests: {repository: string; digest: Digest}[]
  bytes: number
  brokenIndexes: BrokenIndex[]
  /** Manifests without any tag (what --delete-untagged would remove), per repository. */
  untagged: {repository: string; digest: Digest}[]
}

export function simulateGc(layout: StorageLayout, options: GcOptions = {}): GcResult {
  const marked = new Set<Digest>()
  const manifests: GcResult['manifests'] = []
  const untagged: GcResult['untagged'] = []
  const brokenIndexes: BrokenIndex[] = []
  for (const repository of layout.repositories) {
    const tagged = new Set(repository.tags.map((entry) => entry.digest))
    const dropped = new Set<Digest>()
    for (const digest of repository.revisions) {
      if (!tagged.has(digest)) untagged.push({repository: repository.name, digest})
      if (options.deleteUntagged && !tagged.has(digest)) {
        manifests.push({repository: repository.name, digest})
        dropped.add(digest)
        continue
      }
      marked.add(digest)
      for (const reference of layout.manifests.get(digest)?.references ?? []) marked.add(reference)
    }
    for (const digest of repository.revisions) {
      const children = (layout.manifests.get(digest)?.children ?? []).filter((child) => dropped.has(child))
      if (children.length > 0 && !dropped.has(digest)) {
        brokenIndexes.push({
          repository: repository.name,
          index: digest,
          tags: repository.tags
            .filter((entry) => entry.digest === digest)
            .map((entry) => entry.tag)
            .sort(),
          children,
        })
      }
    }
  }
  const blobs = [...layout.blobs]
    .filter(([digest]) => !marked.has(digest))
    .map(([digest, size]) => ({digest, size, manifest: layout.manifestDigests.has(digest)}))
  blobs.sort((a, b) => b.size - a.size || (a.digest < b.digest ? -1 : 1))
  return {blobs, manifests, bytes: blobs.reduce((sum, blob) => sum + blob.size, 0), brokenIndexes, untagged}
}
