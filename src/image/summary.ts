import type {ImageDescription} from './describe.js'
import type {Digest} from '../registry/digest.js'

/** One platform in a listing row: what the seed UI's tag table shows per platform. */
export interface PlatformSummary {
  os: string
  architecture: string
  variant?: string
  digest: Digest
  /** Exact bytes: config + layers. */
  size: number
  created?: string
}

/** The flat, stable fields a tag or image contributes to `tags list --details` and `image size`. */
export interface ImageSummary {
  digest: Digest
  mediaType: string
  kind: ImageDescription['kind']
  /** The newest platform's creation time, null when no config records one. */
  created: string | null
  platforms: PlatformSummary[]
  /** Exact bytes of the distinct blobs of all platforms (or of the artifact). */
  size: number
  artifactType?: string
  /** The tag points at reglens's own placeholder, left by an interrupted untag; the next cleanup removes it. */
  placeholder?: true
}

function platformsOf(description: ImageDescription): PlatformSummary[] {
  const created = (value: string | undefined) => (value === undefined ? {} : {created: value})
  // A schema 1 image is one platform without a config descriptor.
  if (description.content?.platform)
    return [{...description.content.platform, digest: description.digest, size: description.content.size, ...created(description.created)}]
  return description.platforms.map((image) => ({
    os: image.platform.os,
    architecture: image.platform.architecture,
    ...(image.platform.variant ? {variant: image.platform.variant} : {}),
    digest: image.digest,
    size: image.size,
    ...created(image.created),
  }))
}

export function summarize(description: ImageDescription): ImageSummary {
  return {
    digest: description.digest,
    mediaType: description.mediaType,
    kind: description.kind,
    created: description.created ?? null,
    platforms: platformsOf(description),
    size: description.size,
    ...(description.artifactType === undefined ? {} : {artifactType: description.artifactType}),
    ...(description.placeholder ? {placeholder: true as const} : {}),
  }
}
