import {estimateCleanup} from './cleanup-estimate.js'
import {AGE_THRESHOLDS_DAYS, type ImageReport, type RegistryReport, REPORT_KIND, REPORT_VERSION} from './model.js'
import {orphanReferrers} from './orphan-referrers.js'
import {attachScans, type ScanLookupOptions} from './scans.js'
import {untaggedManifests} from './untagged.js'
import {registryUsage} from './usage-pass.js'
import {RegistryFactsSource} from '../cleanup/registry-facts.js'
import type {PolicyRule} from '../cleanup/policy-file.js'
import type {ContentCache} from '../image/content-cache.js'

export interface ReportOptions {
  now?: Date
  /** A parsed cleanup policy and the file it came from. */
  policy?: {path: string; rules: PolicyRule[]}
  /** Filesystem storage root of this registry, to list untagged manifests. */
  storage?: string
  scans?: ScanLookupOptions
  /** Images listed as the largest. */
  largest?: number
  onRepository?: (done: number, name: string) => void
}

const bySizeThenName = (a: {size: number; name: string}, b: {size: number; name: string}) =>
  b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

const largestFirst = (a: ImageReport, b: ImageReport) =>
  b.size - a.size || (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : a.digest < b.digest ? -1 : 1)

/**
 * Builds the whole report: one pass over the repositories (as `repos list --size`), then what the
 * policy would free and the scan results, all answered from what that pass fetched.
 */
export async function buildReport(cache: ContentCache, names: AsyncIterable<string>, options: ReportOptions = {}): Promise<RegistryReport> {
  const now = options.now ?? new Date()
  const host = cache.client.endpoint.host
  const usage = await registryUsage(cache, names, {...(options.onRepository ? {onRepository: options.onRepository} : {})})
  const warnings: string[] = []
  const repositories = usage.repositories.sort(bySizeThenName)

  let cleanup: RegistryReport['cleanup'] = null
  if (options.policy) {
    const estimate = await estimateCleanup(host, usage.tags, options.policy.rules, new RegistryFactsSource(cache), now)
    for (const repository of repositories) repository.reclaimable = estimate.perRepository.get(repository.name) ?? null
    cleanup = {policy: options.policy.path, ...estimate.summary}
    if (usage.failed.length > 0)
      warnings.push(`${usage.failed.length} tags could not be described and are left out of the cleanup estimate`)
  }
  if (options.scans) await attachScans(cache, usage.images, options.scans)
  const orphanedReferrers = await orphanReferrers(cache, usage.tags, usage.images)
  const untagged = options.storage
    ? await untaggedManifests(options.storage, new Set(repositories.map((repository) => repository.name)))
    : null

  const age = usage.blobs.ageBuckets(now.getTime(), AGE_THRESHOLDS_DAYS)
  return {
    kind: REPORT_KIND,
    version: REPORT_VERSION,
    registry: host,
    generatedAt: now.toISOString(),
    totals: {
      repositories: repositories.length,
      tags: repositories.reduce((sum, repository) => sum + repository.tags, 0),
      images: new Set(usage.images.map((image) => image.digest)).size,
      size: usage.registry.total,
      blobs: usage.registry.blobs,
      sharedSize: usage.blobs.sharedSize,
    },
    repositories,
    age,
    largestImages: [...usage.images].sort(largestFirst).slice(0, options.largest ?? 20),
    images: usage.images,
    untagged,
    orphanedReferrers,
    cleanup,
    failed: usage.failed,
    warnings,
  }
}
