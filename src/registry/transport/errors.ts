import {type ExitCodeName, RegistryError} from '../../errors.js'
import {HINTS, SETTINGS} from '../hints.js'

/** One entry of the distribution spec's `{"errors": [...]}` body. */
export interface RegistryErrorEntry {
  code: string
  message?: string
}

/** What a request was about, so an error can say it in the user's terms. */
export interface RequestSubject {
  host: string
  repository?: string
  reference?: string
  /** Short description of the operation, e.g. "list tags". */
  action: string
}

/** Reads the spec's error array from an untrusted body; anything else yields an empty list. */
export function parseErrorBody(text: string): RegistryErrorEntry[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return []
  }
  const errors = (parsed as {errors?: unknown})?.errors
  if (!Array.isArray(errors)) return []
  return errors
    .filter((entry): entry is {code: unknown; message?: unknown} => typeof entry === 'object' && entry !== null && 'code' in entry)
    .map((entry) => ({code: String(entry.code), ...(typeof entry.message === 'string' ? {message: entry.message} : {})}))
}

function kindFor(status: number, code: string | undefined): ExitCodeName {
  switch (code) {
    case 'UNAUTHORIZED':
      return 'unauthorized'
    case 'DENIED':
      return 'denied'
    case 'NAME_UNKNOWN':
    case 'MANIFEST_UNKNOWN':
    case 'BLOB_UNKNOWN':
      return 'notFound'
    case 'UNSUPPORTED':
      return 'unsupported'
    case 'TOOMANYREQUESTS':
      return 'rateLimited'
    case 'NAME_INVALID':
    case 'TAG_INVALID':
    case 'DIGEST_INVALID':
    case 'PAGINATION_NUMBER_INVALID':
      return 'usage'
  }
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'denied'
  if (status === 404) return 'notFound'
  if (status === 405) return 'unsupported'
  if (status === 429) return 'rateLimited'
  if (status >= 500) return 'serverError'
  return 'badResponse'
}

/** `host/name@digest`, `host/name:tag`, `host/name` or `host`: what a request was about, as messages name it. */
export function subjectName(subject: RequestSubject): string {
  const where = subject.repository ? `${subject.host}/${subject.repository}` : subject.host
  if (subject.reference === undefined) return where
  return `${where}${subject.reference.includes(':') ? '@' : ':'}${subject.reference}`
}

function headline(kind: ExitCodeName, subject: RequestSubject): string {
  const where = subject.repository ? `${subject.host}/${subject.repository}` : subject.host
  switch (kind) {
    case 'unauthorized':
      return `authentication failed for ${where} (${subject.action})`
    case 'denied':
      return `access denied to ${where} (${subject.action})`
    case 'notFound':
      return subject.reference
        ? `${subjectName(subject)} not found`
        : subject.repository
          ? `repository ${where} not found`
          : `not found on ${subject.host} (${subject.action})`
    case 'unsupported':
      return `${subject.host} does not support this operation (${subject.action})`
    case 'rateLimited':
      return `${subject.host} is rate limiting requests (${subject.action}); retries exhausted`
    case 'serverError':
      return `${subject.host} failed with a server error (${subject.action}); retries exhausted`
    default:
      return `${subject.host} rejected the request (${subject.action})`
  }
}

/** What TLS servers answer a plain-HTTP request with: Go's net/http (distribution, Harbor, Zot) and nginx. */
const PLAIN_HTTP_TO_TLS = /Client sent an HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i

/**
 * Maps a non-success response to a typed error with one line: what failed, and the registry's own words.
 * `auth` (from the authenticator) may reclassify a 401/403 and add which credentials were used.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  subject: RequestSubject,
  auth?: {kind: ExitCodeName; note: string},
): RegistryError {
  if (status === 400 && PLAIN_HTTP_TO_TLS.test(bodyText)) {
    return new RegistryError(`${subject.host} speaks HTTPS, not plain HTTP: use https://${subject.host}`, 'tls', {status})
  }
  const entries = parseErrorBody(bodyText)
  const first = entries[0]
  const kind = auth?.kind ?? kindFor(status, first?.code)
  const said = first ? `: ${first.code}${first.message ? ` ${first.message}` : ''}` : ''
  const message = `${headline(kind, subject)}${auth ? `: ${auth.note}` : ''} [HTTP ${status}${said}]`
  return new RegistryError(message.replace(/\s+/g, ' '), kind, {status, ...(first ? {code: first.code} : {})})
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the registry running?)',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset; retries exhausted',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
}

/** Maps a socket-level failure (refused, DNS, timeout, TLS) to a typed, one-line error. */
export function errorFromNetwork(error: unknown, subject: RequestSubject, url: string): RegistryError {
  const err = error as Error & {code?: string; cause?: {code?: string}}
  const code = err.code ?? err.cause?.code ?? ''
  const host = subject.host
  if (TLS_CODES.has(code)) {
    return new RegistryError(
      `TLS certificate of ${host} is not trusted (${code}); ${HINTS.untrustedCertificate}`,
      'tls',
      {url, hint: 'untrustedCertificate'},
      {cause: error},
    )
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(err.message)) {
    return new RegistryError(
      `TLS handshake with ${host} failed: it may speak plain HTTP (use http://${host})`,
      'tls',
      {url},
      {cause: error},
    )
  }
  const why = NETWORK_REASONS[code] ?? (code || err.message)
  return new RegistryError(`cannot reach ${host} (${subject.action}): ${why}`, 'network', {url}, {cause: error})
}

/** Socket failures while a body is read: the network's fault (exit 4), not a malformed answer. */
const BODY_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_REQ_RETRY',
  'UND_ERR_ABORTED',
  'ECONNABORTED',
])

/**
 * Maps a failure while reading a response body: a reset or a stall mid-body is a network error
 * (exit 4); anything else (a body over its size limit) is `what` (exit 12): `blob … unreadable`.
 */
export function errorFromBody(error: unknown, subject: RequestSubject, what: string): RegistryError {
  if (error instanceof RegistryError) return error
  const err = error as Error & {code?: string; cause?: {code?: string}}
  const code = err.code ?? err.cause?.code ?? ''
  if (BODY_NETWORK_CODES.has(code) || err.message === 'terminated') {
    const why =
      code === 'UND_ERR_BODY_TIMEOUT'
        ? `the response stalled mid-body (no data within the ${SETTINGS.timeout})`
        : 'the connection was lost mid-body'
    return new RegistryError(`${subject.host} (${subject.action}): ${why}`, 'network', {}, {cause: error})
  }
  return new RegistryError(`${what}: ${err.message}`, 'badResponse', {}, {cause: error})
}
