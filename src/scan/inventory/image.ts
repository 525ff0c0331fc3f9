import pLimit from 'p-limit'

import {ImageBudget} from './budget.js'
import {LayerCache} from './cache.js'
import {foldLayers} from './fold.js'
import {type LayerChanges, readLayerChanges} from './layer.js'
import type {Inventory} from './types.js'
import {openBlob} from '../../registry/blobs.js'
import type {RegistryClient} from '../../registry/client.js'
import type {Repository} from '../../registry/reference.js'
import type {Descriptor} from '../../registry/types/manifest.js'

export interface InventoryOptions {
  /** Layer inventories cached by digest; without it every layer is downloaded. */
  layerCache?: LayerCache
  /** Layers downloaded at once (default 3: layers are large, each is a stream). */
  concurrency?: number
  /** Called as each layer is read (from the registry or the cache). */
  onLayer?: (layer: Descriptor, source: 'registry' | 'cache') => void
}

/**
 * The packages installed in an image: each layer streamed from the registry (or taken from the layer
 * cache), its record files read, and the layers folded in order.
 */
export async function inventoryImage(
  client: RegistryClient,
  repository: Repository,
  layers: Descriptor[],
  options: InventoryOptions = {},
): Promise<Inventory> {
  const limit = pLimit(options.concurrency ?? 3)
  // An image may list the same layer twice (empty layers): each digest is read once per run.
  const reads = new Map<string, Promise<LayerChanges>>()
  const budget = new ImageBudget()
  const fetch = async (layer: Descriptor): Promise<LayerChanges> => {
    const cached = await options.layerCache?.get(layer.digest)
    if (cached) {
      options.onLayer?.(layer, 'cache')
      return cached
    }
    const changes = await readLayerChanges(await openBlob(client, repository, layer.digest), layer.mediaType, layer.digest)
    await options.layerCache?.put(layer.digest, changes)
    options.onLayer?.(layer, 'registry')
    return changes
  }
  // Layers count against the image's bounds in layer order (the same layers are dropped every run); a
  // read keeps its slot until the layers before it are counted, so at most `concurrency` wait at once.
  let counted: Promise<unknown> = Promise.resolve()
  for (const layer of layers) {
    if (reads.has(layer.digest)) continue
    const before = counted
    const read = limit(async () => {
      const changes = await fetch(layer)
      await before
      return budget.admit(changes)
    })
    reads.set(layer.digest, read)
    counted = read.catch(() => undefined)
  }
  const changes = await Promise.all(layers.map((layer) => reads.get(layer.digest)!))
  return foldLayers(layers.map((layer, index) => ({digest: layer.digest, changes: changes[index]})))
}
