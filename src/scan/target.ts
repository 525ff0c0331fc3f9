import {arch} from 'node:os'

import {SCAN_SETTINGS} from './hints.js'
import type {ContentCache} from '../image/content-cache.js'
import {describeImage, type PlatformImage} from '../image/describe.js'
import {formatPlatform, matchesPlatform, type PlatformFilter} from '../image/platform.js'
import {ReglensError} from '../errors.js'
import type {Repository} from '../registry/reference.js'

const HOST_ARCHITECTURE: Record<string, string> = {x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x'}

/** The image a scan reads: registry host, repository, the index or manifest digest, and one platform. */
export interface ScanTarget {
  registry: string
  repository: string
  reference: string
  /** Digest of what the reference points to (index or manifest). */
  digest: string
  image: PlatformImage
}

/** Which image a scan or SBOM document describes: the fields both documents start with. */
export interface ScannedImage {
  registry: string
  repository: string
  reference: string
  /** What the reference points to (an index or a manifest). */
  digest: string
  /** The chosen platform's image manifest digest. */
  imageDigest: string
  platform: string
}

export function scannedImage(target: ScanTarget, reference: string): ScannedImage {
  return {
    registry: target.registry,
    repository: target.repository,
    reference,
    digest: target.digest,
    imageDigest: target.image.digest,
    platform: formatPlatform(target.image.platform),
  }
}

/**
 * Picks one platform of the reference: the requested one, else the only one, else the one matching
 * this machine (linux/<arch>), like `docker pull` would.
 */
export async function resolveScanTarget(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  platform?: PlatformFilter,
): Promise<ScanTarget> {
  const description = await describeImage(cache, repository, reference, platform ? {platform} : {})
  const where = `${description.registry}/${description.repository}`
  if (description.kind === 'artifact')
    throw new ReglensError(
      `${where}:${reference} is an artifact (${description.artifactType ?? 'unknown type'}), not an image: nothing to scan`,
      'unsupported',
    )
  const host = {os: 'linux', architecture: HOST_ARCHITECTURE[arch()] ?? arch()}
  const image =
    description.platforms.length === 1
      ? description.platforms[0]
      : description.platforms.find((entry) => matchesPlatform(entry.platform, host))
  if (!image) {
    const list = description.platforms.map((entry) => formatPlatform(entry.platform)).join(', ')
    throw new ReglensError(
      `${where}:${reference} has several platforms and none is ${formatPlatform(host)}; choose one with ${SCAN_SETTINGS.platform} (available: ${list})`,
      'usage',
    )
  }
  return {registry: description.registry, repository: description.repository, reference, digest: description.digest, image}
}
