import {type Digest, parseDigest} from './digest.js'
import {canonicalRegistry, DOCKER_HUB} from './docker-hub.js'
import {UsageError} from '../errors.js'

/**
 * Image references with Docker's rules (distribution/reference): `[host[:port]/]path[:tag][@digest]`.
 * Parsed once at the edge into immutable values; everything downstream trusts them.
 */

export {DOCKER_HUB, DOCKER_HUB_API_HOST} from './docker-hub.js'

const MAX_NAME_LENGTH = 255
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`)
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/

export interface Repository {
  /** Registry host as users write it (`docker.io`, `localhost:5000`). */
  readonly registry: string
  /** Repository path inside the registry (`library/nginx`, `team/app/api`). */
  readonly repository: string
}

export interface ImageReference extends Repository {
  readonly tag?: string
  readonly digest?: Digest
}

export interface ParseOptions {
  /** Registry used when the reference names none (from --registry or REGLENS_REGISTRY); Docker Hub otherwise. */
  defaultRegistry?: string
}

/** True when the first path component names a registry host rather than a namespace. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase()
}

function splitRegistry(input: string, options: ParseOptions): {registry: string; path: string} {
  const slash = input.indexOf('/')
  if (slash !== -1 && looksLikeHost(input.slice(0, slash))) {
    const host = input.slice(0, slash)
    if (!DOMAIN.test(host)) throw new UsageError(`invalid reference "${input}": "${host}" is not a valid registry host`)
    return {registry: canonicalRegistry(host), path: input.slice(slash + 1)}
  }
  const registry = options.defaultRegistry ? canonicalRegistry(options.defaultRegistry) : DOCKER_HUB
  return {registry, path: input}
}

function validatePath(input: string, registry: string, path: string): string {
  if (path === '') throw new UsageError(`invalid reference "${input}": repository name is empty`)
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      const reason =
        component === ''
          ? 'empty path component'
          : component !== component.toLowerCase()
            ? `"${component}" must be lowercase`
            : `"${component}" has characters outside [a-z0-9._-] or a separator at an end`
      throw new UsageError(`invalid reference "${input}": ${reason}`)
    }
  }
  const fullPath = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path
  if (fullPath.length > MAX_NAME_LENGTH)
    throw new UsageError(`invalid reference "${input}": repository name longer than ${MAX_NAME_LENGTH} characters`)
  return fullPath
}

/** Parses a full image reference; a tag and/or digest is optional. */
export function parseReference(input: string, options: ParseOptions = {}): ImageReference {
  const trimmed = input.trim()
  if (trimmed === '') throw new UsageError('invalid reference "": empty')
  let rest = trimmed
  let digest: Digest | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = parseDigest(rest.slice(at + 1))
    rest = rest.slice(0, at)
  }
  const {registry, path: pathWithTag} = splitRegistry(rest, options)
  let path = pathWithTag
  let tag: string | undefined
  const colon = pathWithTag.lastIndexOf(':')
  if (colon !== -1) {
    tag = pathWithTag.slice(colon + 1)
    path = pathWithTag.slice(0, colon)
    if (!TAG.test(tag)) throw new UsageError(`invalid reference "${input}": tag "${tag}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
  }
  const repository = validatePath(input, registry, path)
  return Object.freeze({registry, repository, ...(tag === undefined ? {} : {tag}), ...(digest === undefined ? {} : {digest})})
}

/** Parses a repository name (no tag, no digest), optionally carrying a registry host. */
export function parseRepository(input: string, options: ParseOptions = {}): Repository {
  const reference = parseReference(input, options)
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw new UsageError(`invalid repository "${input}": a repository name takes no tag or digest`)
  }
  return reference
}

/**
 * A repository in a registry already known (a catalog entry, a plan item, an endpoint's host): built
 * directly, with the name checked by the same rules, instead of a round trip through a reference string.
 */
export function repositoryIn(registry: string, name: string): Repository {
  const host = canonicalRegistry(registry)
  return Object.freeze({registry: host, repository: validatePath(`${registry}/${name}`, host, name)})
}

/** The reference a manifest request uses: the digest when pinned, else the tag, else `latest`. */
export function manifestReference(reference: ImageReference): string {
  return reference.digest ?? reference.tag ?? 'latest'
}

export function formatReference(reference: ImageReference): string {
  let text = `${reference.registry}/${reference.repository}`
  if (reference.tag !== undefined) text += `:${reference.tag}`
  if (reference.digest !== undefined) text += `@${reference.digest}`
  return text
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag)
}
