import type {ContentCache} from './content-cache.js'
import {type DescribeOptions, describeImage, type ImageDescription, isArtifact, type PlatformImage} from './describe.js'
import {describeReferrers, type ReferrerDescription} from './referrers.js'
import type {Digest} from '../registry/digest.js'
import type {Repository} from '../registry/reference.js'
import {RepositoryReferrers} from '../registry/referrers.js'
import type {HistoryEntry, ImageConfig} from '../registry/types/config.js'

/** A history step, with the layer it produced (none for empty steps such as ENV or CMD). */
export interface InspectedHistoryEntry extends HistoryEntry {
  layer?: Digest
}

export interface InspectedPlatform extends PlatformImage {
  /** The image config's contents; absent for an index entry that is an artifact. */
  image?: Omit<ImageConfig, 'history'> & {history: InspectedHistoryEntry[]}
}

export interface ImageInspection extends Omit<ImageDescription, 'platforms'> {
  platforms: InspectedPlatform[]
  /** Signatures, attestations, SBOMs and other artifacts referring to the image or one of its platforms. */
  referrers: ReferrerDescription[]
}

/** Pairs history steps with layers: each step not marked empty produced the next layer, in order. */
export function historyWithLayers(history: HistoryEntry[], layers: readonly {digest: Digest}[]): InspectedHistoryEntry[] {
  let next = 0
  return history.map((entry) => {
    if (entry.emptyLayer || next >= layers.length) return entry
    return {...entry, layer: layers[next++].digest}
  })
}

/** describeImage plus each platform's config contents (fetched once: the description already needed them). */
export async function inspectImage(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  options: DescribeOptions = {},
): Promise<ImageInspection> {
  const description = await describeImage(cache, repository, reference, options)
  const platforms = await Promise.all(
    description.platforms.map(async (platform): Promise<InspectedPlatform> => {
      if (isArtifact(platform)) return platform
      const {history, ...config} = await cache.config(repository, platform.config)
      return {...platform, image: {...config, history: historyWithLayers(history, platform.layers)}}
    }),
  )
  const finder = new RepositoryReferrers(cache.client, repository)
  const subjects = [
    description.digest,
    ...description.platforms.map((platform) => platform.digest).filter((digest) => digest !== description.digest),
  ]
  return {...description, platforms, referrers: await describeReferrers(cache, finder, repository, subjects)}
}
