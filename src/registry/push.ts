import type {RegistryClient} from './client.js'
import {header} from './client.js'
import {type Digest, digestOf} from './digest.js'
import {sameOriginUrl} from './origin.js'
import type {Repository} from './reference.js'
import {repositoryScope} from './transport/auth.js'
import {discard} from './transport/http.js'
import {RegistryError} from '../errors.js'

/**
 * Uploads: monolithic blob pushes (POST then PUT) and manifest PUTs. Used to seed demo and test
 * registries, and by deletion's retag-then-delete path.
 */

function scopes(repository: Repository) {
  return [repositoryScope(repository.repository, 'pull', 'push')]
}

/** Pushes a blob unless the registry already has it; returns its digest. */
export async function pushBlob(client: RegistryClient, repository: Repository, bytes: Buffer): Promise<Digest> {
  const name = repository.repository
  const digest = digestOf(bytes)
  const subject = {action: 'push blob', repository: name}
  const exists = await client.fetch({
    method: 'HEAD',
    path: `/v2/${name}/blobs/${digest}`,
    scopes: scopes(repository),
    subject,
    accept: (s) => s === 200 || s === 404,
  })
  await discard(exists)
  if (exists.statusCode === 200) return digest
  const started = await client.fetch({method: 'POST', path: `/v2/${name}/blobs/uploads/`, scopes: scopes(repository), subject})
  await discard(started)
  const location = header(started, 'location')
  if (!location) throw new RegistryError(`${client.endpoint.host} gave no upload location`, 'badResponse')
  const uploadUrl = new URL(sameOriginUrl(location, client.url(`/v2/${name}/blobs/uploads/`), client.endpoint.url, 'blob upload location'))
  uploadUrl.searchParams.set('digest', digest)
  const done = await client.fetch({
    method: 'PUT',
    path: uploadUrl.toString(),
    headers: {'content-type': 'application/octet-stream', 'content-length': String(bytes.length)},
    body: bytes,
    scopes: scopes(repository),
    subject,
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
  const name = repository.repository
  const response = await client.fetch({
    method: 'PUT',
    path: `/v2/${name}/manifests/${reference}`,
    headers: {'content-type': mediaType},
    body: bytes,
    scopes: scopes(repository),
    subject: {action: 'push manifest', repository: name, reference},
  })
  await discard(response)
  return digestOf(bytes)
}
