import type {Descriptor} from '../registry/types/manifest.js'

function total(sizes: Iterable<number>): number {
  let sum = 0
  for (const size of sizes) sum += size
  return sum
}

/** Sum of descriptor sizes, each counted as often as listed (what `jq '([.layers[].size]|add)+.config.size'` gives). */
export function sumSizes(descriptors: Iterable<Descriptor>): number {
  return total(Array.from(descriptors, (descriptor) => descriptor.size))
}

/** Sum of sizes with each digest counted once: blobs shared by platforms, tags or repositories are stored once. */
export function uniqueSize(descriptors: Iterable<Descriptor>): number {
  const sizes = new Map<string, number>()
  for (const descriptor of descriptors) sizes.set(descriptor.digest, descriptor.size)
  return total(sizes.values())
}
