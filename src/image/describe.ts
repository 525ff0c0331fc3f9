import type {ContentCache} from './content-cache.js'
import {MAX_INDEX_DEPTH, tooDeep} from './graph.js'
import {isPlaceholder} from './placeholder.js'
import {formatPlatform, isAttestation, matchesPlatform, type PlatformFilter, selectPlatform} from './platform.js'
import {sumSizes, uniqueSize} from './size.js'
import {ReglensError, RegistryError} from '../errors.js'
import type {Digest} from '../registry/digest.js'
import type {FetchedManifest} from '../registry/manifests.js'
import type {Repository} from '../registry/reference.js'
import {IMAGE_CONFIG_MEDIA_TYPES, type ImageConfig} from '../registry/types/config.js'
import type {Descriptor, ImageIndex, ImageManifest, Platform} from '../registry/types/manifest.js'
import {INDEX_MEDIA_TYPES, MediaType} from '../registry/types/media-types.js'

/** One runnable image: a platform's manifest, its config and layers. */
export interface PlatformImage {
  platform: Platform
  digest: Digest
  mediaType: string
  created?: string
  config: Descriptor
  layers: Descriptor[]
  /** sum(layers.size) + config.size: the exact compressed bytes a pull of this platform transfers. */
  size: number
  /** Set when an index entry is an artifact rather than an image. */
  artifactType?: string
}

/** The blobs of a manifest that is no platform image: an artifact (signature, SBOM, chart…) or a schema 1 image. */
export interface ManifestContent {
  /** Absent for schema 1, which embeds its config in the manifest. */
  config?: Descriptor
  layers: Descriptor[]
  /** sum(layers.size) + config.size, as for a platform image. */
  size: number
  /** A schema 1 image's platform, from its manifest. */
  platform?: Platform
}

export interface ImageDescription {
  registry: string
  repository: string
  reference: string
  digest: Digest
  mediaType: string
  kind: 'image' | 'index' | 'artifact' | 'schema1'
  /** Runnable images, attestations never among them; empty for an artifact. */
  platforms: PlatformImage[]
  /** Attestation manifests of an index; filled only with `showAttestations`. */
  attestations: Descriptor[]
  /** The newest platform's creation time. */
  created?: string
  artifactType?: string
  /** reglens's own untag placeholder (image/placeholder.ts): a tag on it was left by an interrupted untag. */
  placeholder?: true
  /** For an artifact or a schema 1 image: its blobs. */
  content?: ManifestContent
  /** Exact bytes of every distinct blob (layers and configs) of the platforms (or the artifact) described. */
  size: number
}

/** The blobs a description covers: each platform's config and layers, or the artifact's. */
export function blobsOf(description: ImageDescription): Descriptor[] {
  if (description.content) return [...(description.content.config ? [description.content.config] : []), ...description.content.layers]
  return description.platforms.flatMap((platform) => [platform.config, ...platform.layers])
}

/**
 * Which image configs a description fetches (one blob GET per distinct config). Sizes and digests
 * come from the manifests; a config adds `created`, and the platform of an image that no index
 * declares one for.
 * - `all` (default): every image's config: `created` and every platform.
 * - `platform`: only where the platform is nowhere else (a single-platform image, an index entry
 *   without `platform`); `created` stays unknown.
 * - `none`: only for index entries without `platform`, to tell a platform from an attestation; the
 *   platform of a single-platform image stays unknown. For totals (`repos list --size`).
 */
export type ConfigFetch = 'all' | 'platform' | 'none'

export interface DescribeOptions {
  platform?: PlatformFilter
  showAttestations?: boolean
  configs?: ConfigFetch
}

const LAYER_MEDIA_TYPE = /^application\/vnd\.(oci\.image\.layer\.|docker\.image\.rootfs\.)/

/**
 * An image manifest is an artifact when it says so (artifactType), when its config is not an image
 * config (Helm charts, empty configs), or when its layers are not filesystem layers (cosign, in-toto).
 */
export function isArtifact(manifest: Pick<ImageManifest, 'artifactType' | 'config' | 'layers'>): boolean {
  if (manifest.artifactType !== undefined) return true
  if (!IMAGE_CONFIG_MEDIA_TYPES.has(manifest.config.mediaType)) return true
  return manifest.layers.some((layer) => !LAYER_MEDIA_TYPE.test(layer.mediaType))
}

function newest(values: (string | undefined)[]): string | undefined {
  let best: {text: string; time: number} | undefined
  for (const text of values) {
    const time = text === undefined ? Number.NaN : Date.parse(text)
    if (text !== undefined && !Number.isNaN(time) && (!best || time > best.time)) best = {text, time}
  }
  return best?.text
}

function platformOfConfig(config: ImageConfig): Platform {
  return {os: config.os || 'unknown', architecture: config.architecture || 'unknown', ...(config.variant ? {variant: config.variant} : {})}
}

function noMatch(filter: PlatformFilter, where: string, available: Platform[]): ReglensError {
  const list = available.length > 0 ? available.map(formatPlatform).join(', ') : 'none'
  return new ReglensError(`no platform ${formatPlatform(filter)} in ${where}; available: ${list}`, 'notFound')
}

function needsConfig(configs: ConfigFetch, declared: Platform | undefined, inIndex: boolean): boolean {
  if (configs === 'all') return true
  if (declared !== undefined) return false
  return configs === 'platform' || inIndex
}

async function platformImage(
  cache: ContentCache,
  repository: Repository,
  fetched: FetchedManifest,
  declared: Platform | undefined,
  where: string,
  fetchConfig: boolean,
): Promise<PlatformImage> {
  const manifest = fetched.manifest
  if (manifest.kind !== 'image')
    throw new RegistryError(
      `${where}: index entry ${fetched.digest} is ${manifest.kind === 'index' ? 'an index where its entry declares an image' : 'a schema 1 manifest, which an index may not hold'}`,
      'badResponse',
    )
  // Artifact configs may be anything (or nothing): only image configs are fetched.
  const config = isArtifact(manifest) || !fetchConfig ? undefined : await cache.config(repository, manifest.config)
  return {
    platform: declared ?? (config ? platformOfConfig(config) : {os: 'unknown', architecture: 'unknown'}),
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    ...(config?.created === undefined ? {} : {created: config.created}),
    config: manifest.config,
    layers: manifest.layers,
    size: sumSizes([manifest.config, ...manifest.layers]),
    ...(manifest.artifactType === undefined ? {} : {artifactType: manifest.artifactType}),
  }
}

/**
 * The entries of an index that are no index, with each nested index's entries in its place (the OCI
 * image spec allows an index to list indexes), each digest once. Deeper than MAX_INDEX_DEPTH is refused.
 */
async function leafEntries(cache: ContentCache, repository: Repository, index: ImageIndex, root: Digest, depth = 0): Promise<Descriptor[]> {
  const levels = await Promise.all(
    index.manifests.map(async (entry) => {
      if (!INDEX_MEDIA_TYPES.has(entry.mediaType)) return [entry]
      if (depth + 1 > MAX_INDEX_DEPTH) throw tooDeep(root)
      const nested = (await cache.manifest(repository, entry.digest)).manifest
      if (nested.kind !== 'index')
        throw new RegistryError(
          `index ${root}: entry ${entry.digest} declares an index but is a ${nested.kind === 'image' ? 'image manifest' : 'schema 1 manifest'}`,
          'badResponse',
        )
      return leafEntries(cache, repository, nested, root, depth + 1)
    }),
  )
  const byDigest = new Map<Digest, Descriptor>()
  for (const entry of levels.flat()) if (!byDigest.has(entry.digest)) byDigest.set(entry.digest, entry)
  return [...byDigest.values()]
}

/**
 * Describes what a reference points to: every platform of an index (or the one selected), with exact
 * sizes from the manifests and creation times from the configs. Each manifest and config is fetched
 * once per cache, so describing many tags that share content costs one request per distinct digest.
 */
export async function describeImage(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  options: DescribeOptions = {},
): Promise<ImageDescription> {
  const root = await cache.manifest(repository, reference)
  const where = `${cache.client.endpoint.host}/${repository.repository}${reference.includes(':') ? '@' : ':'}${reference}`
  const base = {
    registry: cache.client.endpoint.host,
    repository: repository.repository,
    reference,
    digest: root.digest,
    mediaType: root.mediaType,
  }
  const manifest = root.manifest
  const configs = options.configs ?? 'all'

  if (manifest.kind === 'schema1') {
    // Schema 1 records no sizes: each distinct layer's size comes from a HEAD of the blob (exact, not estimated).
    const platform = {os: manifest.os || 'unknown', architecture: manifest.architecture || 'unknown'}
    if (options.platform && !matchesPlatform(platform, options.platform)) throw noMatch(options.platform, where, [platform])
    const layers = await Promise.all(
      manifest.layers.map(async (digest) => ({
        mediaType: MediaType.dockerLayerGzip,
        digest,
        size: await cache.blobSize(repository, digest),
      })),
    )
    return {
      ...base,
      kind: 'schema1',
      platforms: [],
      attestations: [],
      ...(manifest.created === undefined ? {} : {created: manifest.created}),
      content: {layers, size: sumSizes(layers), platform},
      size: uniqueSize(layers),
    }
  }

  if (manifest.kind === 'image' && isArtifact(manifest)) {
    if (options.platform) throw noMatch(options.platform, where, [])
    const content = {config: manifest.config, layers: manifest.layers, size: sumSizes([manifest.config, ...manifest.layers])}
    const created = manifest.annotations?.['org.opencontainers.image.created']
    return {
      ...base,
      kind: 'artifact',
      platforms: [],
      attestations: [],
      ...(created === undefined ? {} : {created}),
      artifactType: manifest.artifactType ?? manifest.config.mediaType,
      ...(isPlaceholder(manifest) ? {placeholder: true as const} : {}),
      content,
      size: uniqueSize([manifest.config, ...manifest.layers]),
    }
  }

  let platforms: PlatformImage[]
  const attestations: Descriptor[] = []
  if (manifest.kind === 'image') {
    const image = await platformImage(cache, repository, root, undefined, where, needsConfig(configs, undefined, false))
    if (options.platform && !selectPlatform([image], options.platform, (entry) => entry.platform))
      throw noMatch(options.platform, where, [image.platform])
    platforms = [image]
  } else {
    const leaves = await leafEntries(cache, repository, manifest, root.digest)
    const entries = leaves.filter((entry) => !isAttestation(entry))
    if (options.showAttestations) attestations.push(...leaves.filter(isAttestation))
    const describe = async (entry: Descriptor) =>
      platformImage(
        cache,
        repository,
        await cache.manifest(repository, entry.digest),
        entry.platform,
        where,
        needsConfig(configs, entry.platform, true),
      )
    if (options.platform && entries.every((entry) => entry.platform)) {
      // Every platform is declared: fetch only the selected one.
      const chosen = selectPlatform(entries, options.platform, (entry) => entry.platform as Platform)
      if (!chosen)
        throw noMatch(
          options.platform,
          where,
          entries.map((entry) => entry.platform as Platform),
        )
      platforms = [await describe(chosen)]
    } else {
      // An entry that declares no platform and turns out to have none (an artifact, a signature) is not a platform either.
      const described = await Promise.all(entries.map(async (entry) => ({entry, image: await describe(entry)})))
      const placeholder = ({image}: {image: PlatformImage}) => image.platform.os === 'unknown' && image.platform.architecture === 'unknown'
      platforms = described.filter((item) => !placeholder(item)).map((item) => item.image)
      if (options.showAttestations) attestations.push(...described.filter(placeholder).map((item) => item.entry))
      if (options.platform) {
        const chosen = selectPlatform(platforms, options.platform, (entry) => entry.platform)
        if (!chosen)
          throw noMatch(
            options.platform,
            where,
            platforms.map((entry) => entry.platform),
          )
        platforms = [chosen]
      }
    }
  }
  const created = newest(platforms.map((entry) => entry.created))
  return {
    ...base,
    kind: manifest.kind,
    platforms,
    attestations,
    ...(created === undefined ? {} : {created}),
    size: uniqueSize(platforms.flatMap((entry) => [entry.config, ...entry.layers])),
  }
}

/** The manifest bytes exactly as served: the reference's own, or with a platform filter that platform's. */
export async function rawManifest(
  cache: ContentCache,
  repository: Repository,
  reference: string,
  options: Pick<DescribeOptions, 'platform'> = {},
): Promise<Buffer> {
  if (!options.platform) return (await cache.manifest(repository, reference)).bytes
  const [selected] = (await describeImage(cache, repository, reference, {platform: options.platform})).platforms
  return (await cache.manifest(repository, selected.digest)).bytes
}
