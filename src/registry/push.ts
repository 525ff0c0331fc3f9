import type {RegistryClient} from './client.js'
import {header} from './client.js'
import {type Digest, digestOf} from './digest.js'
import {sameOriginUrl} from './origin.js'
import type {Repository} from './reference.js'
import {repositoryRequest} from './request.js'
import {discard} from './transport/http.js'
import {RegistryError} from '../errors.js'

/**
 * Uploads: monolithic blob pushes (POST then PUT) and manifest PUTs. Used to seed demo and test
 * registries, and by deletion's retag-then-delete path.
 */

/** Pushes a blob unless the registry already has it; returns its digest. */
export async function pushBlob(client: RegistryClient, repository: Repository, bytes: Buffer): Promise<Digest> {
  const digest = digestOf(bytes)
  // One push token for the whole upload: the existence check asks for push access too.
  const exists = await client.fetch({
    ...repositoryRequest('HEAD', repository, {kind: 'blob', digest}, {access: 'push', action: 'push blob'}),
    accept: (s) => s === 200 || s === 404,
  })
  await discard(exists)
  if (exists.statusCode === 200) return digest
  const start = repositoryRequest('POST', repository, {kind: 'upload'})
  const started = await client.fetch(start)
  await discard(started)
  const location = header(started, 'location')
  if (!location) throw new RegistryError(`${client.endpoint.host} gave no upload location`, 'badResponse')
  const uploadUrl = new URL(sameOriginUrl(location, client.url(start.path), client.endpoint.url, 'blob upload location'))
  uploadUrl.searchParams.set('digest', digest)
  const done = await client.fetch({
    ...start,
    method: 'PUT',
    path: uploadUrl.toString(),
    headers: {'content-type': 'application/octet-stream', 'content-length': String(bytes.length)},
    body: bytes,
  })
  await discard(done)
  return digest
}

/** Puts a manifest under a tag or digest; returns the digest of the exact bytes sent. */
export async function pushManifest(
  client: RegistryClient,
  repository: Repository,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<Digest> {
  const response = await client.fetch({
    ...repositoryRequest('PUT', repository, {kind: 'manifest', reference}),
    headers: {'content-type': mediaType},
    body: bytes,
  })
  await discard(response)
  return digestOf(bytes)
}
