import {randomBytes} from 'node:crypto'

import type {RegistryClient} from './client.js'
import type {Digest} from './digest.js'
import {headManifest} from './manifests.js'
import type {Repository} from './reference.js'
import {repositoryRequest} from './request.js'
import {parseErrorBody} from './transport/errors.js'
import {discard, readText} from './transport/http.js'
import {errorMessage, RegistryError} from '../errors.js'

/**
 * Manifest deletion (DELETE /v2/NAME/manifests/REF). The transport never retries a DELETE; after an
 * error the digest is re-checked with HEAD instead, so a delete that did land is not reported failed.
 */

export type DeleteResult = 'deleted' | 'missing'

export interface DeleteOutcome {
  result: DeleteResult
  /**
   * Set when the registry answered with an error although the manifest is gone (HEAD says 404).
   * Registry 2.8 deletes the manifest first and untags afterwards, so its tags may be left behind.
   */
  error?: string
}

/** Deletion switched off in the registry's config (405 / UNSUPPORTED): one line that says how to enable it. */
export function deletionDisabled(host: string): RegistryError {
  return new RegistryError(
    `deletion is disabled on ${host} (HTTP 405 UNSUPPORTED); enable it with REGISTRY_STORAGE_DELETE_ENABLED=true or \`storage: {delete: {enabled: true}}\` in the registry's config.yml, then restart the registry`,
    'unsupported',
    {status: 405, code: 'UNSUPPORTED'},
  )
}

/** Deletes a manifest by digest (the registry drops every tag on it). 404 → 'missing'. */
export async function deleteManifest(client: RegistryClient, repository: Repository, digest: Digest): Promise<DeleteOutcome> {
  try {
    const response = await client.fetch({
      ...repositoryRequest('DELETE', repository, {kind: 'manifest', reference: digest}),
      accept: (status) => status === 202 || status === 200 || status === 404,
    })
    await discard(response)
    return {result: response.statusCode === 404 ? 'missing' : 'deleted'}
  } catch (error) {
    if (error instanceof RegistryError && error.kind === 'unsupported') throw deletionDisabled(client.endpoint.host)
    if (error instanceof RegistryError && (error.kind === 'unauthorized' || error.kind === 'denied' || error.kind === 'usage')) throw error
    // A lost response or a failure half-way may hide a delete that happened: look before reporting a failure.
    const still = await headManifest(client, repository, digest).catch(() => 'unknown' as const)
    if (still === undefined) return {result: 'deleted', error: errorMessage(error)}
    throw error
  }
}

export type TagDeleteResult = DeleteResult | 'unsupported'

/**
 * Tries the OCI distribution 1.1 tag delete, which removes only the tag. Registry 2.8 answers it with
 * 400 DIGEST_INVALID; others with 405 / UNSUPPORTED (also the answer when deletion is off altogether).
 */
export async function deleteTagReference(client: RegistryClient, repository: Repository, tag: string): Promise<TagDeleteResult> {
  const response = await client.fetch({
    ...repositoryRequest('DELETE', repository, {kind: 'manifest', reference: tag}),
    accept: (status) => status === 202 || status === 200 || status === 404 || status === 400 || status === 405,
  })
  const body = await readText(response, 64 * 1024).catch(() => '')
  if (response.statusCode === 404) return parseErrorBody(body)[0]?.code === 'UNSUPPORTED' ? 'unsupported' : 'missing'
  if (response.statusCode === 400 || response.statusCode === 405) return 'unsupported'
  return 'deleted'
}

const probes = new WeakMap<RegistryClient, Promise<boolean>>()

/**
 * Whether the registry allows deleting manifests: DELETE of a random digest nobody pushed answers
 * 404 when deletion is enabled and 405 / UNSUPPORTED when it is disabled. Nothing can be deleted by it.
 * Asked once per client.
 */
export function deletionEnabled(client: RegistryClient, repository: Repository): Promise<boolean> {
  let probe = probes.get(client)
  if (!probe) {
    probe = probeDeletion(client, repository).then((answer) => answer.enabled)
    probes.set(client, probe)
  }
  return probe
}

/**
 * The deletion probe itself (also used by `registry test`): DELETE of a random digest nobody pushed.
 * 404 (or 202) means deletes are served, 405 / UNSUPPORTED that they are disabled; anything else is a typed error.
 */
export async function probeDeletion(client: RegistryClient, repository: Repository): Promise<{enabled: boolean; status: number}> {
  const digest: Digest = `sha256:${randomBytes(32).toString('hex')}`
  const response = await client.fetch({
    ...repositoryRequest('DELETE', repository, {kind: 'manifest', reference: digest}, {action: 'probe deletion'}),
    accept: (status) => status === 404 || status === 405 || status === 202,
  })
  const body = await readText(response, 64 * 1024).catch(() => '')
  return {enabled: response.statusCode !== 405 && parseErrorBody(body)[0]?.code !== 'UNSUPPORTED', status: response.statusCode}
}
