/** Maps the layer identifiers scanners report (compressed digests or uncompressed diff_ids) to layer digests. */
export interface LayerIds {
  digest: string
  /** The config's `rootfs.diff_ids` entry for the layer, when known. */
  diffId?: string
}

export function layerResolver(layers: readonly LayerIds[]): (ids: (string | undefined)[]) => string {
  const byId = new Map<string, string>()
  for (const layer of layers) {
    byId.set(layer.digest, layer.digest)
    if (layer.diffId) byId.set(layer.diffId, layer.digest)
  }
  return (ids) => {
    for (const id of ids) if (id && byId.has(id)) return byId.get(id)!
    return ''
  }
}

/** A one-line title from a summary or the first line of a description. */
export function titleFrom(...texts: (string | undefined)[]): string {
  for (const text of texts) {
    const line = text
      ?.split('\n')
      .map((part) => part.trim())
      .find((part) => part !== '')
    if (line) return line.length > 200 ? `${line.slice(0, 197)}...` : line
  }
  return ''
}
