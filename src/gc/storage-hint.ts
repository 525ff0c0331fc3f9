import {type GcResult, simulateGc} from './mark-sweep.js'
import {readStorage} from './storage.js'
import {type GcWarning, storageWarnings} from './warnings.js'

export interface StorageHint {
  /** The storage root that was read. */
  storage: string
  deleteUntagged: boolean
  result: GcResult
  warnings: GcWarning[]
}

/** On the registry host: reads the filesystem storage (read-only) and models what garbage-collect deletes. */
export async function storageHint(root: string, options: {deleteUntagged: boolean}): Promise<StorageHint> {
  const layout = await readStorage(root)
  const result = simulateGc(layout, options)
  const hasIndexes = [...layout.manifests.values()].some((manifest) => manifest.children.length > 0)
  return {
    storage: root,
    deleteUntagged: options.deleteUntagged,
    result,
    warnings: storageWarnings(result, {deleteUntagged: options.deleteUntagged, hasIndexes}),
  }
}
