import {join} from 'node:path'

import type {ImageReport, ScanSummary} from './model.js'
import {errorMessage, ReglensError} from '../errors.js'
import type {ContentCache} from '../image/content-cache.js'
import {parsePlatformFilter} from '../image/platform.js'
import type {Digest} from '../registry/digest.js'
import {parseRepository} from '../registry/reference.js'
import {cacheRoot} from '../scan/paths.js'
import type {ScanResult} from '../scan/report/result.js'
import {ResultCache} from '../scan/result-cache.js'
import {type ScannerChoice, scanImage} from '../scan/scan.js'
import {SEVERITIES} from '../scan/severity.js'

const SCANNERS = ['builtin', 'trivy', 'grype'] as const

export interface ScanLookupOptions {
  /** Scan the platforms that have no stored result (with this scanner choice). */
  scan?: ScannerChoice
  /** Root of the scan caches (default `$XDG_CACHE_HOME/reglens`). */
  cacheDirectory?: string
  onScan?: (image: ImageReport, platform: string) => void
}

function summaryOf(result: ScanResult, platform: string): ScanSummary {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, result[severity]])) as Record<
    (typeof SEVERITIES)[number],
    number
  >
  return {
    platform,
    imageDigest: result.imageDigest as Digest,
    scanner: result.scanner,
    scannedAt: result.scannedAt,
    total: result.total,
    ...counts,
    warnings: result.warnings,
  }
}

/** The newest stored result of any scanner for one platform image. */
async function stored(results: ResultCache, registry: string, imageDigest: Digest): Promise<ScanResult | undefined> {
  const found = (await Promise.all(SCANNERS.map((scanner) => results.get(registry, imageDigest, scanner)))).filter(
    (result) => result !== undefined,
  )
  return found.sort((a, b) => (a.scannedAt < b.scannedAt ? 1 : -1))[0]
}

/** Only images and indexes have platforms a scanner reads; artifacts and schema 1 manifests are skipped. */
const scannable = (image: ImageReport) => image.kind === 'image' || image.kind === 'index'

/**
 * Fills each image's `scans` with the stored scan result per platform (what `scan` stored, by registry
 * and platform digest, whatever repository it was scanned under) and, with `scan`, scans the platforms
 * that have none, one at a time. A platform that cannot be scanned records why; a missing scanner
 * database stops the run (every scan would fail the same way).
 */
export async function attachScans(cache: ContentCache, images: ImageReport[], options: ScanLookupOptions = {}): Promise<void> {
  const root = options.cacheDirectory ?? cacheRoot()
  const results = new ResultCache(join(root, 'scans'))
  const host = cache.client.endpoint.host
  for (const image of images.filter(scannable)) {
    for (const {platform, digest} of image.platforms) {
      const found = await stored(results, host, digest)
      if (found) {
        image.scans.push(summaryOf(found, platform))
        continue
      }
      if (!options.scan) continue
      options.onScan?.(image, platform)
      try {
        const repository = parseRepository(`${host}/${image.repository}`)
        const {result} = await scanImage(cache, repository, image.digest, {
          scanner: options.scan,
          platform: parsePlatformFilter(platform),
          cacheDirectory: root,
          concurrency: 4,
        })
        image.scans.push(summaryOf(result, platform))
      } catch (error) {
        if (error instanceof ReglensError && (error.kind === 'config' || error.kind === 'usage')) throw error
        image.scans.push({platform, imageDigest: digest, error: errorMessage(error)})
      }
    }
  }
}
