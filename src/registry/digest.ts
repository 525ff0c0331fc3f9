import {UsageError} from '../errors.js'

/** Digest algorithms the OCI image spec registers, with the hex length of each. */
const ENCODED_LENGTH: Record<string, number> = {sha256: 64, sha512: 128}
const DIGEST_PATTERN = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/

export type Digest = `${string}:${string}`

/** Why `value` is not an `algorithm:hex` digest, or undefined when it is one. */
function digestProblem(value: string): string | undefined {
  const match = DIGEST_PATTERN.exec(value)
  if (!match) return 'expected algorithm:hex, e.g. sha256:<64 hex digits>'
  const [, algorithm, encoded] = match
  const length = ENCODED_LENGTH[algorithm]
  if (length === undefined) return `unsupported algorithm "${algorithm}" (sha256 or sha512)`
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) return `${algorithm} needs ${length} lowercase hex digits`
  return undefined
}

/** Validates `algorithm:hex` and returns it; throws a one-line UsageError otherwise. */
export function parseDigest(value: string): Digest {
  const problem = digestProblem(value)
  if (problem !== undefined) throw new UsageError(`invalid digest "${value}": ${problem}`)
  return value as Digest
}

/** A check, not a parse: called for every tag name of a listing, so it builds no error (and no stack trace). */
export function isDigest(value: string): boolean {
  return digestProblem(value) === undefined
}

/**
 * The digest of raw bytes, in the algorithm of `like` (sha256 by default). node:crypto is loaded on
 * first use: ~10 ms of every start of the CLI, which a tag listing does not need.
 */
export function digestOf(bytes: Uint8Array, like: string = 'sha256:'): Digest {
  const algorithm = like.split(':')[0] || 'sha256'
  return `${algorithm}:${process.getBuiltinModule('node:crypto').createHash(algorithm).update(bytes).digest('hex')}`
}
