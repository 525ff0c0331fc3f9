/**
 * reglens's own placeholder: the tiny manifest an untag on a registry without tag DELETE points the
 * tag at before deleting it (src/cleanup/untag.ts). Found anywhere else, it was left by an untag that
 * was killed between those two steps.
 */
export const PLACEHOLDER_ARTIFACT_TYPE = 'application/vnd.reglens.placeholder'
/** A unique id per placeholder, so deleting one by digest can touch no other tag. */
export const PLACEHOLDER_ANNOTATION = 'io.reglens.placeholder'
/** The tag the placeholder was made to remove. */
export const UNTAGGED_ANNOTATION = 'io.reglens.untagged'

/** True for reglens's placeholder: its artifact type and its annotation, both. */
export function isPlaceholder(manifest: {artifactType?: string; annotations?: Record<string, string>}): boolean {
  return manifest.artifactType === PLACEHOLDER_ARTIFACT_TYPE && typeof manifest.annotations?.[PLACEHOLDER_ANNOTATION] === 'string'
}
