import {interceptors} from 'undici'

/** How hard to try again on connection resets, 429 and 5xx. Bounded in count and in time. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number
  /** First backoff, doubled each retry. */
  minDelayMs: number
  /** Cap on one wait, also on a server's Retry-After. */
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {maxRetries: 4, minDelayMs: 250, maxDelayMs: 8000}

/** Transient socket failures worth a retry; refused connections and DNS failures are not transient. */
const RETRYABLE_ERROR_CODES = ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']
const RETRYABLE_STATUS_CODES = [429, 500, 502, 503, 504]
/**
 * DELETE is deliberately absent: a DELETE whose answer was lost may have succeeded, so the
 * delete code re-checks with HEAD instead of repeating it blindly.
 */
const RETRYABLE_METHODS = ['GET', 'HEAD', 'PUT', 'OPTIONS']

/** undici's own retry interceptor (honours Retry-After, exponential backoff), configured by policy. */
export function retryInterceptor(policy: RetryPolicy) {
  return interceptors.retry({
    maxRetries: policy.maxRetries,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    timeoutFactor: 2,
    retryAfter: true,
    methods: RETRYABLE_METHODS as never,
    statusCodes: RETRYABLE_STATUS_CODES,
    errorCodes: RETRYABLE_ERROR_CODES,
    // The last answer (429, 503…) reaches the caller with its body, so its `errors` array can be read.
    throwOnError: false,
  })
}
