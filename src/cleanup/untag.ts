import {randomUUID} from 'node:crypto'

import {CLEANUP_HINTS} from './hints.js'
import {PLACEHOLDER_ANNOTATION, PLACEHOLDER_ARTIFACT_TYPE, UNTAGGED_ANNOTATION} from '../image/placeholder.js'
import type {RegistryClient} from '../registry/client.js'
import {deleteManifest, deleteTagReference, deletionDisabled, deletionEnabled} from '../registry/delete.js'
import type {Digest} from '../registry/digest.js'
import {headManifest} from '../registry/manifests.js'
import {pushBlob, pushManifest} from '../registry/push.js'
import type {Repository} from '../registry/reference.js'
import {listTags} from '../registry/tags.js'
import {MediaType} from '../registry/types/media-types.js'
import {errorMessage, RegistryError} from '../errors.js'

export type UntagMethod = 'tag-delete' | 'placeholder'

export interface UntagResult {
  status: 'untagged' | 'missing'
  method?: UntagMethod
}

export const EMPTY_CONFIG = Buffer.from('{}')

/** A tiny OCI manifest unique to this call, so deleting it by digest cannot touch any other tag. */
export function placeholderManifest(emptyDigest: Digest, tag: string): Buffer {
  const empty = {mediaType: MediaType.ociEmpty, digest: emptyDigest, size: EMPTY_CONFIG.length}
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: PLACEHOLDER_ARTIFACT_TYPE,
      config: empty,
      layers: [empty],
      annotations: {[PLACEHOLDER_ANNOTATION]: randomUUID(), [UNTAGGED_ANNOTATION]: tag},
    }),
  )
}

/**
 * Removes one tag and nothing else. Uses the tag DELETE where the registry has it; otherwise (registry
 * 2.8) re-points the tag at a unique placeholder and deletes the placeholder by digest, so the image
 * and its other tags stay. That needs push rights; the error says so when they are missing.
 */
export async function removeTag(
  client: RegistryClient,
  repository: Repository,
  tag: string,
  options: {dangling?: boolean} = {},
): Promise<UntagResult> {
  const direct = await deleteTagReference(client, repository, tag)
  if (direct === 'deleted') return {status: 'untagged', method: 'tag-delete'}
  if (direct === 'missing') return {status: 'missing'}
  if (!(await deletionEnabled(client, repository))) throw deletionDisabled(client.endpoint.host)
  // The fallback pushes to the tag: never create a tag that was already gone (unless it is a dangling one to clear).
  if (!options.dangling && (await headManifest(client, repository, tag)) === undefined) return {status: 'missing'}
  const where = `${client.endpoint.host}/${repository.repository}:${tag}`
  let placeholder: Digest
  try {
    const emptyDigest = await pushBlob(client, repository, EMPTY_CONFIG)
    placeholder = await pushManifest(client, repository, tag, placeholderManifest(emptyDigest, tag), MediaType.ociManifest)
  } catch (error) {
    if (error instanceof RegistryError && (error.kind === 'denied' || error.kind === 'unauthorized')) {
      throw new RegistryError(
        `cannot untag ${where}: this registry has no tag delete, and the fallback (re-point the tag at a placeholder, then delete that) needs push rights: ${error.message}`,
        error.kind,
        error.details,
      )
    }
    throw error
  }
  let deleted
  try {
    deleted = await deleteManifest(client, repository, placeholder)
  } catch (error) {
    throw new RegistryError(
      `${where} now points at placeholder ${placeholder}, which could not be deleted (${errorMessage(error)}); ${CLEANUP_HINTS.deletePlaceholder} ${where.replace(/:[^:/]+$/, '')}@${placeholder}`,
      error instanceof RegistryError ? error.kind : 'internal',
      {hint: 'deletePlaceholder'},
    )
  }
  if (deleted.error && (await danglingTags(client, repository, [tag])).length > 0) {
    throw new RegistryError(
      `${where}: the registry deleted the placeholder but failed to drop the tag (${deleted.error}); run the command again`,
      'serverError',
    )
  }
  return {status: 'untagged', method: 'placeholder'}
}

/**
 * Which of `tags` the registry still lists although they resolve to nothing: registry 2.8 leaves such
 * tags when a manifest delete fails half-way (it deletes the manifest, then untags).
 */
export async function danglingTags(client: RegistryClient, repository: Repository, tags: string[]): Promise<string[]> {
  const listed = new Set<string>()
  try {
    for await (const tag of listTags(client, repository)) listed.add(tag)
  } catch (error) {
    if (error instanceof RegistryError && error.kind === 'notFound') return []
    throw error
  }
  const candidates = tags.filter((tag) => listed.has(tag))
  const heads = await Promise.all(candidates.map(async (tag) => ({tag, head: await headManifest(client, repository, tag)})))
  return heads.filter((entry) => entry.head === undefined).map((entry) => entry.tag)
}
