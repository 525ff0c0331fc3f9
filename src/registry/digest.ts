import {createHash} from 'node:crypto'

import {UsageError} from '../errors.js'

/** Digest algorithms the OCI image spec registers, with the hex length of each. */
const ENCODED_LENGTH: Record<string, number> = {sha256: 64, sha512: 128}
const DIGEST_PATTERN = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/

export type Digest = `${string}:${string}`

/** Validates `algorithm:hex` and returns it; throws a one-line UsageError otherwise. */
export function parseDigest(value: string): Digest {
  const match = DIGEST_PATTERN.exec(value)
  if (!match) throw new UsageError(`invalid digest "${value}": expected algorithm:hex, e.g. sha256:<64 hex digits>`)
  const [, algorithm, encoded] = match
  const length = ENCODED_LENGTH[algorithm]
  if (length === undefined) throw new UsageError(`invalid digest "${value}": unsupported algorithm "${algorithm}" (sha256 or sha512)`)
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    throw new UsageError(`invalid digest "${value}": ${algorithm} needs ${length} lowercase hex digits`)
  }
  return value as Digest
}

export function isDigest(value: string): boolean {
  try {
    parseDigest(value)
    return true
  } catch {
    return false
  }
}

/** The digest of raw bytes, in the algorithm of `like` (sha256 by default). */
export function digestOf(bytes: Uint8Array, like: string = 'sha256:'): Digest {
  const algorithm = like.split(':')[0] || 'sha256'
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}
