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

/** The waits between tries when the server gives no Retry-After: minDelayMs doubled each time, capped. */
export function backoffDelaysMs(policy: RetryPolicy): number[] {
  return Array.from({length: policy.maxRetries}, (_, retry) => Math.min(policy.minDelayMs * 2 ** retry, policy.maxDelayMs))
}

/** undici checks timeouts of a second or more once per second: a try may overrun its limit by up to that much. */
export const TIMER_RESOLUTION_MS = 1000

/**
 * The longest one request can take when every try times out: each of the `maxRetries + 1` tries waits
 * `timeoutMs` for an answer (plus the timer resolution), with the backoff between them. A server's
 * Retry-After can stretch each wait up to maxDelayMs. docs/exit-codes.md states these figures.
 */
export function worstCaseMs(policy: RetryPolicy, timeoutMs: number): number {
  const slack = timeoutMs >= TIMER_RESOLUTION_MS ? TIMER_RESOLUTION_MS : 0
  return (policy.maxRetries + 1) * (timeoutMs + slack) + backoffDelaysMs(policy).reduce((sum, delay) => sum + delay, 0)
}

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
