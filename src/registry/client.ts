import type {Dispatcher} from 'undici'

import type {RegistryEndpoint} from './endpoint.js'
import {isSameOrigin} from './origin.js'
import {anonymous, type Authenticator, type Scope} from './transport/auth.js'
import {errorFromBody, errorFromResponse, type RequestSubject} from './transport/errors.js'
import {
  createDispatcher,
  DEFAULT_TRANSPORT_OPTIONS,
  discard,
  type HttpRequest,
  type HttpResponse,
  readText,
  send,
  type TransportOptions,
} from './transport/http.js'
import {type LogSink, observeRequests, RequestCounter} from './transport/log.js'
import {RegistryError} from '../errors.js'

export interface ClientOptions {
  transport?: Partial<TransportOptions>
  authenticator?: Authenticator
  /** Receives one line per HTTP attempt (`--verbose`). */
  log?: LogSink
  /** Replaces the socket layer under the retry and redirect interceptors (tests inject undici's MockAgent). */
  dispatcher?: Dispatcher
}

export interface RegistryRequest {
  method: HttpRequest['method']
  /** Path below the registry URL (`/v2/...`), or an absolute URL (pagination links may be absolute). */
  path: string
  headers?: Record<string, string>
  body?: Buffer | string
  scopes: Scope[]
  subject: Omit<RequestSubject, 'host'>
  /** Statuses that are not errors for this call (default: any 2xx). */
  accept?: (status: number) => boolean
}

const isSuccess = (status: number) => status >= 200 && status < 300

/**
 * Talks to one registry: keep-alive pool, retries, auth challenges, typed errors.
 * Operations (catalog, tags, manifests…) are functions over a client, each in its own module.
 */
export class RegistryClient {
  readonly requests = new RequestCounter()
  /** The `--verbose` sink, for operations that explain themselves (which method found what). */
  readonly log: LogSink | undefined
  private readonly dispatcher: Dispatcher
  private readonly authenticator: Authenticator
  private readonly stopObserving: () => void

  constructor(
    readonly endpoint: RegistryEndpoint,
    options: ClientOptions = {},
  ) {
    const transport = {...DEFAULT_TRANSPORT_OPTIONS, ...options.transport}
    this.dispatcher = createDispatcher(endpoint, transport, options.dispatcher)
    this.authenticator = options.authenticator ?? anonymous
    this.log = options.log
    this.stopObserving = observeRequests({
      origins: new Set([endpoint.url]),
      counter: this.requests,
      ...(options.log ? {sink: options.log} : {}),
    })
  }

  /** The URL of a request path; an absolute URL must be on the registry's origin, as its credentials go with it. */
  url(path: string): string {
    if (!/^https?:\/\//i.test(path)) return `${this.endpoint.url}${path}`
    if (!isSameOrigin(path, this.endpoint.url))
      throw new RegistryError(
        `refusing to send a request for ${this.endpoint.host} to another origin (${new URL(path).origin})`,
        'badResponse',
      )
    return path
  }

  /** Sends a request, answering one auth challenge; a non-accepted status becomes a typed error. */
  async fetch(req: RegistryRequest): Promise<HttpResponse> {
    const subject: RequestSubject = {host: this.endpoint.host, ...req.subject}
    const attempt = async () => {
      const authHeaders = await this.authenticator.authorize(req.scopes)
      const headers = {'user-agent': 'reglens', ...req.headers, ...authHeaders}
      return send(
        this.dispatcher,
        {method: req.method, url: this.url(req.path), headers, ...(req.body === undefined ? {} : {body: req.body})},
        subject,
      )
    }
    let response = await attempt()
    if (response.statusCode === 401 && (await this.authenticator.challenge(header(response, 'www-authenticate'), req.scopes))) {
      await discard(response)
      response = await attempt()
    }
    const accept = req.accept ?? isSuccess
    if (!accept(response.statusCode)) {
      const body = req.method === 'HEAD' ? '' : await readText(response, 64 * 1024).catch(() => '')
      const status = response.statusCode
      const auth =
        status === 401 || status === 403
          ? await this.authenticator.explainFailure?.(status, header(response, 'www-authenticate'))
          : undefined
      throw errorFromResponse(status, body, subject, auth)
    }
    return response
  }

  /** Fetches and parses a JSON body; the result is untrusted and must be validated by the caller. */
  async json(req: RegistryRequest): Promise<{data: unknown; response: HttpResponse}> {
    const response = await this.fetch(req)
    let text: string
    try {
      text = await readText(response)
    } catch (error) {
      throw errorFromBody(
        error,
        {host: this.endpoint.host, ...req.subject},
        `${this.endpoint.host} sent an unreadable response (${req.subject.action})`,
      )
    }
    try {
      return {data: JSON.parse(text), response}
    } catch {
      throw new RegistryError(`${this.endpoint.host} sent malformed JSON (${req.subject.action})`, 'badResponse')
    }
  }

  async close(): Promise<void> {
    this.stopObserving()
    await Promise.all([this.dispatcher.close(), this.authenticator.close?.()])
  }
}

/** A response header as one string (undici gives arrays for repeated headers). */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
