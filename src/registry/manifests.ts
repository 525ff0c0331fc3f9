import {header, type RegistryClient, type RegistryRequest} from './client.js'
import {type Digest, digestOf, isDigest} from './digest.js'
import type {Repository} from './reference.js'
import {repositoryRequest} from './request.js'
import {errorFromBody, subjectName} from './transport/errors.js'
import {discard, readBytes} from './transport/http.js'
import {MANIFEST_ACCEPT, MediaType} from './types/media-types.js'
import {type Manifest, parseManifest} from './types/manifest.js'
import {RegistryError} from '../errors.js'

/** Manifests are at most 4 MiB (the distribution spec's recommended limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024

export interface FetchedManifest {
  digest: Digest
  mediaType: string
  size: number
  bytes: Buffer
  manifest: Manifest
}

export interface ManifestHead {
  digest: Digest
  mediaType: string
  size: number
}

/** What a GET and a HEAD of a manifest both send: the full Accept list, with pull scope. */
export function manifestRequest(method: 'GET' | 'HEAD', repository: Repository, reference: string): RegistryRequest {
  return {...repositoryRequest(method, repository, {kind: 'manifest', reference}), headers: {accept: MANIFEST_ACCEPT}}
}

/**
 * GETs a manifest with the full Accept list and checks its bytes against the requested digest, or
 * the `Docker-Content-Digest` header for a tag. A mismatch is an error, never silently accepted.
 */
export async function getManifest(client: RegistryClient, repository: Repository, reference: string): Promise<FetchedManifest> {
  const request = manifestRequest('GET', repository, reference)
  const subject = {host: client.endpoint.host, ...request.subject}
  const context = subjectName(subject)
  const response = await client.fetch(request)
  let bytes: Buffer
  try {
    bytes = await readBytes(response, MAX_MANIFEST_BYTES)
  } catch (error) {
    throw errorFromBody(error, subject, `manifest ${context} unreadable`)
  }
  const manifest = parseManifest(bytes, header(response, 'content-type'), context)
  const stated = isDigest(reference) ? reference : header(response, 'docker-content-digest')
  // A malformed header digest cannot be checked (or trusted): the content's own digest stands.
  const claimed = stated !== undefined && isDigest(stated) ? (stated as Digest) : undefined
  const computed = digestOf(bytes, claimed ?? 'sha256:')
  // Signed schema 1 manifests are digested without their signatures: their header cannot be checked here.
  const checkable = manifest.mediaType !== MediaType.dockerManifestV1Signed
  if (checkable && claimed && claimed !== computed) {
    throw new RegistryError(`manifest ${context} failed verification: registry says ${claimed}, content is ${computed}`, 'badResponse')
  }
  return {digest: claimed && !checkable ? claimed : computed, mediaType: manifest.mediaType, size: bytes.length, bytes, manifest}
}

/**
 * HEADs a manifest (cheap: no body, and not counted against Docker Hub's pull limit) to learn its
 * digest. Returns undefined when it does not exist. When the registry omits the digest it falls back
 * to GET, and hands back the fetched manifest too so a caller that wants the body need not GET again.
 */
export async function resolveManifest(
  client: RegistryClient,
  repository: Repository,
  reference: string,
): Promise<{head: ManifestHead; fetched?: FetchedManifest} | undefined> {
  const response = await client.fetch({
    ...manifestRequest('HEAD', repository, reference),
    accept: (status) => (status >= 200 && status < 300) || status === 404,
  })
  await discard(response)
  if (response.statusCode === 404) return undefined
  const digest = header(response, 'docker-content-digest')
  if (!digest || !isDigest(digest)) {
    const fetched = await getManifest(client, repository, reference)
    return {head: {digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size}, fetched}
  }
  return {
    head: {
      digest: digest as Digest,
      mediaType: header(response, 'content-type')?.split(';')[0].trim() ?? '',
      size: Number(header(response, 'content-length') ?? 0),
    },
  }
}

/** The digest, media type and size of a manifest, or undefined when it does not exist (see resolveManifest). */
export async function headManifest(client: RegistryClient, repository: Repository, reference: string): Promise<ManifestHead | undefined> {
  return (await resolveManifest(client, repository, reference))?.head
}
