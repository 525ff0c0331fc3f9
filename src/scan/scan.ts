import {join} from 'node:path'

import {scanBuiltin} from './backends/builtin.js'
import {type Credentials, externalRun, type ExternalScanner, findOnPath, runExternal} from './backends/external.js'
import {parseGrypeReport} from './backends/grype-report.js'
import {parseTrivyReport} from './backends/trivy-report.js'
import {LayerCache} from './inventory/cache.js'
import type {InventoryOptions} from './inventory/image.js'
import {Database} from './osv/store.js'
import {cacheRoot} from './paths.js'
import {buildResult, type ScanDetail, type ScanResult} from './report/result.js'
import {ResultCache} from './result-cache.js'
import {resolveScanTarget, scannedImage} from './target.js'
import type {Unchecked} from './inventory/types.js'
import {describeUnchecked} from './unchecked.js'
import {SCAN_HINTS, SCAN_SETTINGS} from './hints.js'
import type {ContentCache} from '../image/content-cache.js'
import type {PlatformFilter} from '../image/platform.js'
import {UsageError} from '../errors.js'
import type {Repository} from '../registry/reference.js'

export type ScannerChoice = 'auto' | 'trivy' | 'grype' | 'builtin'
export type Scanner = Exclude<ScannerChoice, 'auto'>

export interface ScanOptions {
  scanner?: ScannerChoice
  platform?: PlatformFilter
  /** Return the stored result for this registry and image digest when there is one. */
  cached?: boolean
  /** Root of the OSV database and caches (default `$XDG_CACHE_HOME/reglens`). */
  cacheDirectory?: string
  /** Passed to trivy/grype through their environment. */
  credentials?: Credentials
  /** PATH searched for trivy and grype (default: the process's). */
  path?: string
  /** Layers downloaded at once by the builtin scanner. */
  concurrency?: number
  onLayer?: InventoryOptions['onLayer']
}

/** `auto` prefers trivy, then grype, then the builtin scanner; a named binary must be on PATH. */
export function chooseScanner(choice: ScannerChoice, path = process.env.PATH ?? ''): {scanner: Scanner; binary?: string} {
  if (choice === 'builtin') return {scanner: 'builtin'}
  for (const candidate of choice === 'auto' ? (['trivy', 'grype'] as const) : [choice]) {
    const binary = findOnPath(candidate, path)
    if (binary) return {scanner: candidate, binary}
  }
  if (choice !== 'auto')
    throw new UsageError(`${SCAN_SETTINGS.scanner} ${choice}: no ${choice} binary on PATH (install it, ${SCAN_HINTS.builtinScanner})`)
  return {scanner: 'builtin'}
}

/**
 * Scans one platform image of a reference with the chosen backend and returns the common result,
 * stored per registry, image digest and scanner for `cached` runs.
 */
export async function scanImage(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  options: ScanOptions = {},
): Promise<{result: ScanResult; fromCache: boolean}> {
  const root = options.cacheDirectory ?? cacheRoot()
  const target = await resolveScanTarget(cache, repository, reference, options.platform)
  const {scanner, binary} = chooseScanner(options.scanner ?? 'auto', options.path)
  const results = new ResultCache(join(root, 'scans'))
  if (options.cached) {
    const stored = await results.get(target.registry, target.image.digest, scanner)
    // Stored per image digest: the same image may have been scanned under another repository or reference.
    if (stored) return {result: {...stored, repository: target.repository, reference, digest: target.digest}, fromCache: true}
  }
  const layers = target.image.layers
  let details: ScanDetail[]
  let unchecked: Unchecked[] = []
  if (scanner === 'builtin') {
    const scan = await scanBuiltin(cache.client, repository, layers, new Database(join(root, 'osv')), {
      layerCache: new LayerCache(join(root, 'layers')),
      ...(options.concurrency ? {concurrency: options.concurrency} : {}),
      ...(options.onLayer ? {onLayer: options.onLayer} : {}),
    })
    details = scan.details
    unchecked = scan.unchecked
  } else {
    details = await scanExternal(cache, repository, target.image, scanner, binary!, options.credentials)
  }
  const result = buildResult(
    {
      scanner,
      ...scannedImage(target, reference),
      scannedAt: new Date().toISOString(),
      warnings: unchecked.map(describeUnchecked),
      unchecked,
    },
    layers.map((layer) => layer.digest),
    details,
  )
  await results.put(result)
  return {result, fromCache: false}
}

async function scanExternal(
  cache: ContentCache,
  repository: Repository,
  image: Awaited<ReturnType<typeof resolveScanTarget>>['image'],
  scanner: ExternalScanner,
  binary: string,
  credentials?: Credentials,
): Promise<ScanDetail[]> {
  const config = await cache.config(repository, image.config)
  const layerIds = image.layers.map((layer, index) => ({
    digest: layer.digest,
    ...(config.diffIds[index] ? {diffId: config.diffIds[index]} : {}),
  }))
  // By platform manifest digest: the scanner reads exactly the image reglens resolved.
  const imageRef = `${cache.client.endpoint.host}/${repository.repository}@${image.digest}`
  const report = await runExternal(externalRun(scanner, binary, cache.client.endpoint, imageRef, credentials ? {credentials} : {}))
  return scanner === 'trivy' ? parseTrivyReport(report, layerIds) : parseGrypeReport(report, layerIds)
}
