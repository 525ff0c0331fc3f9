import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import type {LayerChanges} from './layer.js'
import type {Digest} from '../../registry/digest.js'

/** Bump when LayerChanges or what the inventory reads changes, so stale entries are re-read. */
const FORMAT = 3

function isChanges(value: unknown): value is LayerChanges {
  if (typeof value !== 'object' || value === null) return false
  const doc = value as Record<string, unknown>
  return (
    typeof doc.files === 'object' &&
    doc.files !== null &&
    typeof doc.symlinks === 'object' &&
    doc.symlinks !== null &&
    Array.isArray(doc.whiteouts) &&
    Array.isArray(doc.opaque) &&
    Array.isArray(doc.limits)
  )
}

/**
 * A layer's record files and whiteouts, by layer digest. Layers are content-addressed, so an entry is
 * valid for every image and registry that shares the layer: a layer is downloaded once.
 */
export class LayerCache {
  constructor(readonly directory: string) {}

  private path(digest: Digest): string {
    const [algorithm, hex] = digest.split(':')
    return join(this.directory, `v${FORMAT}`, algorithm, `${hex}.json`)
  }

  async get(digest: Digest): Promise<LayerChanges | undefined> {
    try {
      const value: unknown = JSON.parse(await readFile(this.path(digest), 'utf8'))
      return isChanges(value) ? value : undefined
    } catch {
      return undefined
    }
  }

  /** Written aside and renamed, so a concurrent reader never sees half an entry. */
  async put(digest: Digest, changes: LayerChanges): Promise<void> {
    const path = this.path(digest)
    await mkdir(dirname(path), {recursive: true})
    const staging = `${path}.${process.pid}.tmp`
    await writeFile(staging, JSON.stringify(changes))
    await rename(staging, path)
  }
}
