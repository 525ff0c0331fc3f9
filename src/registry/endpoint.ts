import {canonicalRegistry, DOCKER_HUB, DOCKER_HUB_API_HOST} from './docker-hub.js'
import {UsageError} from '../errors.js'

/** Where and how to reach one registry. Built from a reference's host, `--registry`, or a config entry. */
export interface RegistryEndpoint {
  /** Registry host as in references (`docker.io`, `127.0.0.1:5000`). */
  readonly host: string
  /** Base URL the API is served from, without `/v2/` (`https://registry-1.docker.io`). */
  readonly url: string
  /** Skip TLS verification. */
  readonly insecure: boolean
  /** PEM file with extra CA certificates to trust. */
  readonly caCert?: string
  /** Name of the config entry it came from, if any. */
  readonly name?: string
  /** PEM client certificate and key for mutual TLS. */
  readonly clientCert?: string
  readonly clientKey?: string
  /**
   * A loopback host given without a scheme: `url` says http, but `settleScheme` first checks whether
   * the port speaks TLS (Docker tries HTTPS first for such registries, then plain HTTP).
   */
  readonly probeTls?: boolean
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/

/** Loopback hosts speak plain HTTP by default, like Docker's own insecure-registry default. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host)
}

export function apiHost(host: string): string {
  return host === DOCKER_HUB ? DOCKER_HUB_API_HOST : host
}

/**
 * Turns `host[:port]` or `http(s)://host[:port]` into an endpoint. A bare host gets https, except a
 * loopback one: http, to be confirmed by `settleScheme` (https straight away with a CA or client certificate).
 */
export function endpointFromUrl(
  value: string,
  extra: {insecure?: boolean; caCert?: string; name?: string; clientCert?: string; clientKey?: string} = {},
): RegistryEndpoint {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : undefined
  const probeTls = withScheme === undefined && isLoopbackHost(value.replace(/\/+$/, '')) && !extra.caCert && !extra.clientCert
  let parsed: URL
  try {
    parsed = new URL(withScheme ?? `${probeTls ? 'http' : 'https'}://${value}`)
  } catch {
    throw new UsageError(`invalid registry "${value}": expected a host[:port] or an http(s):// URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`invalid registry "${value}": scheme must be http or https`)
  }
  if (parsed.pathname !== '/' && parsed.pathname !== '/v2/' && parsed.pathname !== '/v2') {
    throw new UsageError(`invalid registry "${value}": give the registry root, not a path (${parsed.pathname})`)
  }
  const host = canonicalRegistry(parsed.host)
  return {
    host,
    url: `${parsed.protocol}//${apiHost(host)}`,
    insecure: extra.insecure ?? false,
    ...(extra.caCert ? {caCert: extra.caCert} : {}),
    ...(extra.name ? {name: extra.name} : {}),
    ...(extra.clientCert ? {clientCert: extra.clientCert} : {}),
    ...(extra.clientKey ? {clientKey: extra.clientKey} : {}),
    ...(probeTls ? {probeTls} : {}),
  }
}
