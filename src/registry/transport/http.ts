import {readFileSync} from 'node:fs'

import {Agent, type Dispatcher, interceptors, request} from 'undici'

import {errorFromNetwork, type RequestSubject} from './errors.js'
import {DEFAULT_RETRY_POLICY, type RetryPolicy, retryInterceptor} from './retry.js'
import {ConfigError} from '../../errors.js'
import type {RegistryEndpoint} from '../endpoint.js'

export interface TransportOptions {
  /** Connections kept open per origin (keep-alive pool size). */
  connections: number
  /** Per-try limit (`--timeout`): time allowed to connect, for the response headers, and between two body chunks. */
  timeoutMs: number
  retry: RetryPolicy
}

/** The default per-try limit, in seconds (`--timeout`, `timeout:` in the config, REGLENS_TIMEOUT). */
export const DEFAULT_TIMEOUT_S = 30

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  connections: 8,
  timeoutMs: DEFAULT_TIMEOUT_S * 1000,
  retry: DEFAULT_RETRY_POLICY,
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  headers?: Record<string, string>
  body?: Buffer | string
}

export type HttpResponse = Dispatcher.ResponseData

function readPem(path: string, what: string): Buffer {
  let pem: Buffer
  try {
    pem = readFileSync(path)
  } catch (error) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(error as Error).message}`)
  }
  // Node ignores a CA bundle without certificates, which would surface later as "not trusted".
  if (!pem.includes('-----BEGIN ')) throw new ConfigError(`${what} ${path} holds no PEM certificate or key (-----BEGIN …)`)
  return pem
}

/** Node's CA bundle, loaded on first use: node:tls costs ~10 ms of start-up that a plain-HTTP registry never needs. */
const rootCertificatesOf = () => process.getBuiltinModule('node:tls').rootCertificates

/** TLS options of an endpoint: extra CAs on top of Node's bundle (token realms may use public CAs), mTLS client certificate. */
export function tlsOptions(endpoint: RegistryEndpoint): {
  rejectUnauthorized: boolean
  ca?: (string | Buffer)[]
  cert?: Buffer
  key?: Buffer
} {
  return {
    rejectUnauthorized: !endpoint.insecure,
    ...(endpoint.caCert ? {ca: [...rootCertificatesOf(), readPem(endpoint.caCert, 'CA certificate')]} : {}),
    ...(endpoint.clientCert ? {cert: readPem(endpoint.clientCert, 'client certificate')} : {}),
    ...(endpoint.clientKey ? {key: readPem(endpoint.clientKey, 'client key')} : {}),
  }
}

/**
 * One keep-alive pool per registry origin, with TLS settings, under undici's retry and redirect
 * interceptors. `base` replaces the socket layer (tests pass undici's MockAgent) and keeps the interceptors.
 */
export function createDispatcher(endpoint: RegistryEndpoint, options: TransportOptions, base?: Dispatcher): Dispatcher {
  const agent =
    base ??
    new Agent({
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: options.timeoutMs,
        ...tlsOptions(endpoint),
      },
    })
  return agent.compose(retryInterceptor(options.retry), interceptors.redirect({maxRedirections: 5}))
}

/** Sends one request; socket-level failures become typed one-line errors. The body is the caller's to read. */
export async function send(dispatcher: Dispatcher, req: HttpRequest, subject: RequestSubject): Promise<HttpResponse> {
  try {
    return await request(req.url, {
      dispatcher,
      method: req.method,
      headers: req.headers,
      body: req.body,
    })
  } catch (error) {
    throw errorFromNetwork(error, subject, req.url)
  }
}

/** Reads a body as text, refusing bodies larger than `limit` bytes (registry JSON is untrusted). */
export async function readText(response: HttpResponse, limit = 16 * 1024 * 1024): Promise<string> {
  return (await readBytes(response, limit)).toString('utf8')
}

export async function readBytes(response: HttpResponse, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body) {
    size += chunk.length
    if (size > limit) {
      response.body.destroy()
      throw new Error(`response body larger than ${limit} bytes`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Frees the connection for reuse when the body is not needed. */
export async function discard(response: HttpResponse): Promise<void> {
  await response.body.dump()
}
