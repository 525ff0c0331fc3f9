/**
 * A digest as people read it in tables: the algorithm and 12 hex digits (`sha256:0123456789ab`), as
 * `docker images` shows IDs; `withAlgorithm: false` gives the 12 digits alone (scan tables, where every
 * layer is sha256). Anything that is not a digest is shown as it is. JSON always has the full digest.
 */
export function shortDigest(digest: string, {withAlgorithm = true}: {withAlgorithm?: boolean} = {}): string {
  const match = /^(?:([a-z0-9]+(?:[+._-][a-z0-9]+)*):)?([0-9a-f]{12})[0-9a-f]*$/.exec(digest)
  if (!match) return digest
  return withAlgorithm && match[1] ? `${match[1]}:${match[2]}` : match[2]
}
