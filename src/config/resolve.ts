import type {Config, RegistryEntry} from './config.js'
import {ConfigError, UsageError} from '../errors.js'
import {endpointFromUrl, type RegistryEndpoint} from '../registry/endpoint.js'
import {HINTS} from '../registry/hints.js'
import {
  DOCKER_HUB,
  type ImageReference,
  parseReference,
  type ParseOptions,
  parseRepository,
  type Repository,
} from '../registry/reference.js'

export interface TargetOptions {
  /** `--registry NAME|URL`, else `REGLENS_REGISTRY`. */
  registry?: string
  config: Config
  /** Global `--insecure` / `--ca-cert`, applied over the config entry. */
  insecure?: boolean
  caCert?: string
}

/** A config name has no dot, colon or scheme and is not `localhost`; anything else is a host or URL. */
function looksLikeName(value: string): boolean {
  return !/[.:/]/.test(value) && value !== 'localhost'
}

function fromEntry(name: string, entry: RegistryEntry, options: TargetOptions): RegistryEndpoint {
  const caCert = options.caCert ?? entry.ca_cert
  return endpointFromUrl(entry.url, {
    insecure: options.insecure ?? entry.insecure ?? false,
    name,
    ...(caCert ? {caCert} : {}),
    ...(entry.client_cert ? {clientCert: entry.client_cert} : {}),
    ...(entry.client_key ? {clientKey: entry.client_key} : {}),
  })
}

/** Finds the config entry serving `host`, so a reference's host picks up its settings. */
function entryForHost(host: string, options: TargetOptions): RegistryEndpoint | undefined {
  for (const [name, entry] of Object.entries(options.config.registries)) {
    if (endpointFromUrl(entry.url).host === host) return fromEntry(name, entry, options)
  }
  return undefined
}

function endpointForValue(value: string, options: TargetOptions): RegistryEndpoint {
  const entry = options.config.registries[value]
  if (entry) return fromEntry(value, entry, options)
  if (looksLikeName(value)) {
    const known = Object.keys(options.config.registries)
    const where = options.config.path ? ` in ${options.config.path}` : ''
    throw new ConfigError(
      `unknown registry "${value}"${where}; configured: ${known.length > 0 ? known.join(', ') : 'none'} (or give a host[:port] / URL)`,
    )
  }
  const endpoint = endpointFromUrl(value, {
    ...(options.insecure === undefined ? {} : {insecure: options.insecure}),
    ...(options.caCert ? {caCert: options.caCert} : {}),
  })
  return entryForHost(endpoint.host, options) ?? endpoint
}

/** The registry a command talks to when its argument names no host. */
export function defaultEndpoint(options: TargetOptions): RegistryEndpoint | undefined {
  if (options.registry) return endpointForValue(options.registry, options)
  if (options.config.default) return fromEntry(options.config.default, options.config.registries[options.config.default], options)
  return undefined
}

function endpointForHost(host: string, options: TargetOptions): RegistryEndpoint {
  return (
    entryForHost(host, options) ??
    endpointFromUrl(host, {
      ...(options.insecure === undefined ? {} : {insecure: options.insecure}),
      ...(options.caCert ? {caCert: options.caCert} : {}),
    })
  )
}

/** Resolves the registry alone (for `repos list`). */
export function resolveRegistry(options: TargetOptions): RegistryEndpoint {
  return defaultEndpoint(options) ?? endpointForHost(DOCKER_HUB, options)
}

/** `https://host:5443/team/app:1.0`, as pasted from a browser or a registry UI: the scheme picks the protocol. */
const PASTED_SCHEME = /^(https?):\/\/(.*)$/i

/**
 * `user:password@host/repo`, with or without a scheme: an `@` before the first `/` with a path after it.
 * A digest's `@` always follows the repository's name, so no valid reference has this shape.
 */
const USERINFO = /^((?:https?:\/\/)?)[^/@]*@(?=[^/]+\/)/i

/** Refuses a reference carrying credentials, without echoing them (they would end up in logs and CI output). */
function refuseCredentials(input: string): void {
  if (!USERINFO.test(input)) return
  const shown = input.replace(USERINFO, '$1***@')
  throw new UsageError(`invalid reference "${shown}": credentials do not belong in a reference; ${HINTS.noCredentials}`)
}

function resolve<T extends Repository>(
  input: string,
  options: TargetOptions,
  parse: (input: string, options: ParseOptions) => T,
): {endpoint: RegistryEndpoint; target: T} {
  const trimmed = input.trim()
  refuseCredentials(trimmed)
  const pasted = PASTED_SCHEME.exec(trimmed)
  if (pasted) return resolveWithScheme(pasted[1].toLowerCase(), pasted[2], options, parse)
  const fallback = defaultEndpoint(options)
  const target = parse(input, fallback ? {defaultRegistry: fallback.host} : {})
  const endpoint = fallback && fallback.host === target.registry ? fallback : endpointForHost(target.registry, options)
  return {endpoint, target}
}

function resolveWithScheme<T extends Repository>(
  scheme: string,
  rest: string,
  options: TargetOptions,
  parse: (input: string, options: ParseOptions) => T,
): {endpoint: RegistryEndpoint; target: T} {
  const host = rest.split('/')[0]
  if (!rest.includes('/'))
    throw new UsageError(`invalid reference "${scheme}://${rest}": name the repository after the host (${scheme}://${host}/REPOSITORY)`)
  // The host is explicit here even without a dot (`https://registry/team/app`).
  const target = parse(rest.slice(host.length + 1), {defaultRegistry: host})
  const base = endpointForHost(target.registry, options)
  const endpoint = endpointFromUrl(`${scheme}://${host}`, {
    insecure: base.insecure,
    ...(base.caCert ? {caCert: base.caCert} : {}),
    ...(base.name ? {name: base.name} : {}),
    ...(base.clientCert ? {clientCert: base.clientCert} : {}),
    ...(base.clientKey ? {clientKey: base.clientKey} : {}),
  })
  if (endpoint.host !== target.registry)
    throw new UsageError(
      `invalid reference "${scheme}://${rest}": "${rest.slice(host.length + 1).split('/')[0]}" reads as a second registry host`,
    )
  return {endpoint, target}
}

/** Resolves `[host/]repo` against --registry / REGLENS_REGISTRY / the config default. */
export function resolveRepository(input: string, options: TargetOptions): {endpoint: RegistryEndpoint; target: Repository} {
  return resolve(input, options, parseRepository)
}

/** Resolves `[host/]repo[:tag][@digest]` the same way. */
export function resolveReference(input: string, options: TargetOptions): {endpoint: RegistryEndpoint; target: ImageReference} {
  return resolve(input, options, parseReference)
}
