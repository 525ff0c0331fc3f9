/**
 * What the inventory keeps of a layer, and of an image, at most: a layer can hold anything (a
 * decompression bomb, a million files, thousands of huge package.json files), and the scanner's memory
 * must not follow it. Past a bound the rest is skipped and reported as not checked. Each bound is well
 * above what real images hold (a large Debian image has ~1,000 packages, a large Node app ~5,000).
 */
export const LAYER_LIMITS = {
  /** Uncompressed bytes read before the expansion ratio is checked. */
  expandedBytes: 1024 * 1024 * 1024,
  /** Past `expandedBytes`, a layer expanding more than this (gzip's own maximum is ~1,000×) is a bomb. */
  expansionRatio: 200,
  /** Record files (and symbolic links among record paths) kept. */
  recordFiles: 50_000,
  /** Bytes of record files read and parsed. */
  recordBytes: 256 * 1024 * 1024,
  /** Packages kept (each costs about 300 bytes through folding and output). */
  records: 50_000,
  /** Whiteouts and opaque markers kept. */
  whiteouts: 100_000,
}

export const IMAGE_LIMITS = {
  /** Record files kept over all layers. */
  recordFiles: 100_000,
  /** Packages kept over all layers. */
  records: 50_000,
  /** Whiteouts and opaque markers kept over all layers. */
  whiteouts: 200_000,
}
