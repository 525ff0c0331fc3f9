import type {Descriptor} from '../registry/types/manifest.js'

interface BlobRecord {
  size: number
  /** The first repository seen using it, and whether another one does too. */
  repository: string
  shared: boolean
  /** Created time (ms) of the newest dated image using it; -Infinity when none. */
  newest: number
  /** Some image using it has no created date. */
  undated: boolean
}

/**
 * Per blob: which repositories use it and how old its newest user is. Pure bookkeeping over the
 * blobs each image references, for the shared bytes and the age buckets of a report.
 */
export class BlobUsage {
  private readonly blobs = new Map<string, BlobRecord>()

  /** One image of `repository`, created at `created` (ms since the epoch; undefined when undated). */
  add(repository: string, blobs: Iterable<Descriptor>, created: number | undefined): void {
    for (const blob of blobs) {
      let record = this.blobs.get(blob.digest)
      if (!record) {
        record = {size: blob.size, repository, shared: false, newest: -Infinity, undated: false}
        this.blobs.set(blob.digest, record)
      }
      if (record.repository !== repository) record.shared = true
      if (created === undefined) record.undated = true
      else if (created > record.newest) record.newest = created
    }
  }

  /** Bytes of the blobs that two or more repositories use. */
  get sharedSize(): number {
    let size = 0
    for (const record of this.blobs.values()) if (record.shared) size += record.size
    return size
  }

  /**
   * Bytes whose newest dated user is older than each threshold. A blob that an undated image also
   * uses has an unknown age unless a dated user is younger than the threshold (then it is not old).
   */
  ageBuckets(
    now: number,
    thresholdsDays: readonly number[],
  ): {buckets: {olderThanDays: number; size: number; blobs: number}[]; undatedSize: number} {
    const buckets = thresholdsDays.map((days) => ({olderThanDays: days, size: 0, blobs: 0, limit: now - days * 86_400_000}))
    let undatedSize = 0
    // The smallest threshold's limit: a blob an undated image uses has an unknown age unless a dated user is younger than that.
    const youngest = Math.max(...buckets.map((bucket) => bucket.limit))
    for (const record of this.blobs.values()) {
      if (record.undated && record.newest < youngest) undatedSize += record.size
      for (const bucket of buckets) {
        if (record.newest === -Infinity || record.newest >= bucket.limit || record.undated) continue
        bucket.size += record.size
        bucket.blobs++
      }
    }
    return {buckets: buckets.map(({olderThanDays, size, blobs}) => ({olderThanDays, size, blobs})), undatedSize}
  }
}
