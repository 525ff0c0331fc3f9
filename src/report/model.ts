import type {Digest} from '../registry/digest.js'
import type {SeverityCounts} from '../scan/report/result.js'

/**
 * The `reglens report` document (docs/json/report.md): one pass over a registry, as plain data that
 * the JSON, Prometheus and HTML renderers all read. Sizes are exact bytes of distinct blobs.
 */

export const REPORT_KIND = 'reglens/report'
export const REPORT_VERSION = 1

/** Ages the report buckets bytes by, in days. */
export const AGE_THRESHOLDS_DAYS = [30, 90, 365] as const

export interface ReportTotals {
  repositories: number
  tags: number
  /** Distinct manifests that tags point at, across the registry (an image under two names counts once). */
  images: number
  /** Distinct blobs (configs and layers) of every tag: what `repos list --size` prints as TOTAL. */
  size: number
  blobs: number
  /** Bytes of the blobs that two or more repositories use (counted once). */
  sharedSize: number
}

export interface RepositoryReport {
  name: string
  tags: number
  /** Distinct manifests its tags point at. */
  images: number
  /** Distinct blobs of all its tags and platforms: equal to `repos list --size`. */
  size: number
  blobs: number
  /** With --policy: bytes garbage collection frees once this repository's cleanup has run; null when no rule matches it. */
  reclaimable?: number | null
}

export interface AgeBucket {
  olderThanDays: number
  /** Bytes of the blobs whose newest user (an image created that long ago or earlier) is that old. */
  size: number
  blobs: number
}

export interface ReportAge {
  buckets: AgeBucket[]
  /** Bytes of the blobs whose age is unknown: used by an image without a created date, and by no dated image younger than the smallest threshold. */
  undatedSize: number
}

/** One platform's scan: counts per severity and what limited the scan (a missing ecosystem…), or why it could not be scanned. */
export type ScanSummary = {platform: string; imageDigest: Digest} & (
  ({scanner: string; scannedAt: string; total: number; warnings: string[]} & SeverityCounts) | {error: string}
)

export interface ImageReport {
  repository: string
  digest: Digest
  tags: string[]
  kind: 'image' | 'index' | 'artifact' | 'schema1'
  created: string | null
  /** Distinct blobs of all its platforms. */
  size: number
  platforms: {platform: string; digest: Digest}[]
  /** Stored (or, with --scan, new) scan results per platform; empty when none. */
  scans: ScanSummary[]
}

export interface UntaggedReport {
  /** Manifest revisions no tag reaches (neither tagged nor listed by a tagged index), per repository, read from the storage. */
  manifests: {repository: string; digest: Digest}[]
  /** Bytes garbage collection frees once they are deleted (blobs no tagged manifest uses). */
  size: number
}

/** A tagged signature, attestation or SBOM whose subject manifest is gone. */
export interface OrphanReferrer {
  repository: string
  tag: string
  digest: Digest
  subject: Digest
  /** Distinct blobs of the referrer itself. */
  size: number
}

export interface CleanupReport {
  policy: string
  /** Bytes garbage collection frees once the whole policy has run (blobs shared by two cleaned repositories count once). */
  reclaimable: number
  deletedTags: number
  deletedManifests: number
  untaggedTags: number
}

export interface RegistryReport {
  kind: typeof REPORT_KIND
  version: typeof REPORT_VERSION
  registry: string
  generatedAt: string
  totals: ReportTotals
  /** Largest first, then by name. */
  repositories: RepositoryReport[]
  age: ReportAge
  /** The largest images, largest first. */
  largestImages: ImageReport[]
  /** Every tagged image, by repository then digest. */
  images: ImageReport[]
  /** Null without --storage: the registry API cannot list manifests no tag points at. */
  untagged: UntaggedReport | null
  /** Tagged referrers whose subject is gone. */
  orphanedReferrers: OrphanReferrer[]
  /** Null without --policy. */
  cleanup: CleanupReport | null
  /** Tags that could not be described, with why (the run exits 13 after writing the report). */
  failed: {repository: string; tag: string; error: string}[]
  warnings: string[]
}
