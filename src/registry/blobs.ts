import {pipeline, type Readable, Transform} from 'node:stream'

import {header, type RegistryClient} from './client.js'
import {type Digest, digestOf} from './digest.js'
import type {Repository} from './reference.js'
import {repositoryRequest} from './request.js'
import {errorFromBody} from './transport/errors.js'
import {discard, readBytes} from './transport/http.js'
import {RegistryError} from '../errors.js'

function request(method: 'GET' | 'HEAD', repository: Repository, digest: Digest) {
  return repositoryRequest(method, repository, {kind: 'blob', digest})
}

function subject(client: RegistryClient, repository: Repository, digest: Digest) {
  return {host: client.endpoint.host, ...request('GET', repository, digest).subject}
}

/** Fetches a small blob (an image config) whole, verified against its digest. */
export async function getBlob(client: RegistryClient, repository: Repository, digest: Digest, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const response = await client.fetch(request('GET', repository, digest))
  let bytes: Buffer
  try {
    bytes = await readBytes(response, limit)
  } catch (error) {
    throw errorFromBody(error, subject(client, repository, digest), `blob ${digest} unreadable`)
  }
  const computed = digestOf(bytes, digest)
  if (computed !== digest)
    throw new RegistryError(`blob ${repository.repository}@${digest} failed verification: content is ${computed}`, 'badResponse')
  return bytes
}

/** A blob's exact size from a HEAD (its Content-Length), without downloading it. */
export async function headBlob(client: RegistryClient, repository: Repository, digest: Digest): Promise<number> {
  const response = await client.fetch(request('HEAD', repository, digest))
  await discard(response)
  const length = Number(header(response, 'content-length'))
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RegistryError(`blob ${repository.repository}@${digest}: ${client.endpoint.host} gave no valid Content-Length`, 'badResponse')
  return length
}

/**
 * Opens a blob as a stream (layers can be gigabytes: never buffered). The stream fails at its end
 * if the bytes do not match the digest, so a consumer never silently accepts corrupt content.
 */
export async function openBlob(client: RegistryClient, repository: Repository, digest: Digest): Promise<Readable> {
  const response = await client.fetch(request('GET', repository, digest))
  const [algorithm, expected] = digest.split(':')
  // node:crypto on first use, as in digest.ts.
  const hash = process.getBuiltinModule('node:crypto').createHash(algorithm)
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
    flush(callback) {
      const actual = hash.digest('hex')
      callback(
        actual === expected
          ? null
          : new RegistryError(
              `blob ${repository.repository}@${digest} failed verification: content is ${algorithm}:${actual}`,
              'badResponse',
            ),
      )
    },
  })
  // pipeline() carries a failure of the download into the returned stream, typed like any other read failure.
  const typed = async function* (body: AsyncIterable<Buffer>) {
    try {
      yield* body
    } catch (error) {
      throw errorFromBody(error, subject(client, repository, digest), `blob ${digest} unreadable`)
    }
  }
  return pipeline(typed(response.body), verify, () => {})
}
