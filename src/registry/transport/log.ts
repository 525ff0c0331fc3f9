import diagnosticsChannel from 'node:diagnostics_channel'

/** Where `--verbose` request lines go; the CLI passes a stderr writer. */
export type LogSink = (line: string) => void

const SECRET_QUERY_KEYS = /([?&](?:password|access_token|refresh_token|token|client_secret)=)[^&]*/gi

/** Strips anything that could carry a credential from a URL before it is printed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@').replace(SECRET_QUERY_KEYS, '$1***')
}

/** Counts every HTTP request actually sent (retries included), for --verbose summaries and benchmarks. */
export class RequestCounter {
  total = 0
  readonly byMethod = new Map<string, number>()

  record(method: string): void {
    this.total++
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1)
  }
}

/** `7 requests (6 GET, 1 HEAD)`. */
export function describeRequests(counter: RequestCounter): string {
  const methods = [...counter.byMethod].map(([method, n]) => `${n} ${method}`).join(', ')
  return `${counter.total} ${counter.total === 1 ? 'request' : 'requests'}${methods ? ` (${methods})` : ''}`
}

interface UndiciRequest {
  origin?: string
  method: string
  path: string
}

/**
 * Observes undici's diagnostics channels: each attempt (a retry is a new attempt) is counted and,
 * when a sink is given, logged with its status and timing. Returns a function that unsubscribes.
 */
export function observeRequests(options: {origins: Set<string>; counter: RequestCounter; sink?: LogSink}): () => void {
  const started = new WeakMap<object, number>()
  const mine = (request: UndiciRequest) => request.origin !== undefined && options.origins.has(String(request.origin))
  const onCreate = (message: unknown) => {
    const {request} = message as {request: UndiciRequest}
    if (!mine(request)) return
    options.counter.record(request.method)
    // Timed only to be logged: the first performance.now() loads node:perf_hooks (~3 ms of start-up).
    if (options.sink) started.set(request, performance.now())
  }
  const elapsed = (request: UndiciRequest) => Math.round(performance.now() - (started.get(request) ?? performance.now()))
  const onHeaders = (message: unknown) => {
    const {request, response} = message as {request: UndiciRequest; response: {statusCode: number}}
    if (!mine(request) || !options.sink) return
    options.sink(`${request.method} ${redactUrl(`${request.origin}${request.path}`)} → ${response.statusCode} (${elapsed(request)} ms)`)
  }
  const onError = (message: unknown) => {
    const {request, error} = message as {request: UndiciRequest; error: Error & {code?: string}}
    if (!mine(request) || !options.sink) return
    options.sink(
      `${request.method} ${redactUrl(`${request.origin}${request.path}`)} → ${error.code ?? error.message} (${elapsed(request)} ms)`,
    )
  }
  diagnosticsChannel.subscribe('undici:request:create', onCreate)
  diagnosticsChannel.subscribe('undici:request:headers', onHeaders)
  diagnosticsChannel.subscribe('undici:request:error', onError)
  return () => {
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate)
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders)
    diagnosticsChannel.unsubscribe('undici:request:error', onError)
  }
}
