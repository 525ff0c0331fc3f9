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
  const tally = new SizeTally()
  tally.add(descriptors)
  return tally.total
}

/** Accumulates unique bytes over many images: each digest counts once however often it is added. */
export class SizeTally {
  private readonly sizes = new Map<string, number>()

  add(descriptors: Iterable<Descriptor>): void {
    for (const descriptor of descriptors) this.sizes.set(descriptor.digest, descriptor.size)
  }

  get total(): number {
    return total(this.sizes.values())
  }

  get blobs(): number {
    return this.sizes.size
  }
}
