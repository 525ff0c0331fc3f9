import type {ContentCache} from './content-cache.js'
import {MAX_INDEX_DEPTH} from './graph.js'
import {sumSizes} from './size.js'
import type {Digest} from '../registry/digest.js'
import type {Repository} from '../registry/reference.js'
import type {ReferrerMethod, RepositoryReferrers} from '../registry/referrers.js'
import {MediaType} from '../registry/types/media-types.js'
import {classifyReferrer, type ReferrerKind} from '../registry/types/referrer-kind.js'

/** One referrer as `image inspect` shows it, with its own referrers (a signature of an SBOM). */
export interface ReferrerDescription {
  kind: ReferrerKind
  digest: Digest
  /** The manifest it refers to. */
  subject: Digest
  mediaType: string
  artifactType: string | null
  /** Config and layers, exact bytes (what the referrer adds to storage besides its manifest). */
  size: number
  /** The tag it is reachable by: cosign's `.sig`/`.att`/`.sbom`, or the fallback index's `sha256-<hex>`. */
  tag: string | null
  /** From the `org.opencontainers.image.created` annotation, when present. */
  created: string | null
  /** How it was found: referrers API, referrers tag schema, or cosign tag. */
  method: ReferrerMethod
  referrers: ReferrerDescription[]
}

const CREATED = 'org.opencontainers.image.created'
const GENERIC_CONFIGS: ReadonlySet<string> = new Set([MediaType.ociConfig, MediaType.ociEmpty, MediaType.dockerConfig])

/**
 * The referrers of `subjects`, each with its referrers in turn (depth-limited; a digest seen twice is
 * described once). Each referrer manifest is fetched once through the cache, for its types and size.
 */
export async function describeReferrers(
  cache: ContentCache,
  finder: RepositoryReferrers,
  repository: Repository,
  subjects: Digest[],
  seen = new Set<Digest>(subjects),
  depth = 0,
): Promise<ReferrerDescription[]> {
  if (depth >= MAX_INDEX_DEPTH) return []
  const found = (await Promise.all(subjects.map((subject) => finder.of(subject))))
    .flat()
    .filter((referrer) => !seen.has(referrer.digest) && seen.add(referrer.digest))
  return Promise.all(
    found.map(async (referrer): Promise<ReferrerDescription> => {
      const manifest = (await cache.manifest(repository, referrer.digest)).manifest
      const image = manifest.kind === 'image' ? manifest : undefined
      // cosign's manifests declare no artifactType and a generic config: their layer type says what they are.
      const generic = image !== undefined && GENERIC_CONFIGS.has(image.config.mediaType)
      const artifactType =
        referrer.artifactType ?? image?.artifactType ?? (generic ? image.layers[0]?.mediaType : image?.config.mediaType) ?? null
      const annotations = referrer.annotations ?? (manifest.kind === 'schema1' ? undefined : manifest.annotations)
      return {
        kind: classifyReferrer({
          ...(artifactType ? {artifactType} : {}),
          ...(image ? {configMediaType: image.config.mediaType, layerMediaTypes: image.layers.map((layer) => layer.mediaType)} : {}),
          ...(referrer.tag ? {tag: referrer.tag} : {}),
        }),
        digest: referrer.digest,
        subject: referrer.subject,
        mediaType: referrer.mediaType,
        artifactType,
        size: image ? sumSizes([image.config, ...image.layers]) : 0,
        tag: referrer.tag ?? null,
        created: annotations?.[CREATED] ?? null,
        method: referrer.method,
        referrers: await describeReferrers(cache, finder, repository, [referrer.digest], seen, depth + 1),
      }
    }),
  )
}
