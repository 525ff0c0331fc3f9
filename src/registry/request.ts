import type {RegistryRequest} from './client.js'
import type {Digest} from './digest.js'
import type {Repository} from './reference.js'
import {CATALOG_SCOPE, repositoryScope, type Scope} from './transport/auth.js'
import type {RequestSubject} from './transport/errors.js'
import {UsageError} from '../errors.js'

/**
 * Requests derived, not restated: an operation names its repository, the resource it wants and how,
 * and the API path, token scope and error/log subject all follow from that here, in one place.
 */

/** A resource below `/v2/<name>/`, in the distribution API's terms. */
export type Resource =
  | {kind: 'manifest'; reference: string}
  | {kind: 'blob'; digest: Digest}
  /** The blob upload session endpoint (`blobs/uploads/`). */
  | {kind: 'upload'}
  | {kind: 'tags'; pageSize: number}
  | {kind: 'referrers'; digest: Digest; artifactType?: string}

/** What the token must allow: `push` also reads (a push checks what exists), `delete` only deletes. */
export type Access = 'pull' | 'push' | 'delete'

/** Sent without a body: what `RegistryClient.fetch` needs besides headers, a body and the accepted statuses. */
export type DerivedRequest = Pick<RegistryRequest, 'method' | 'path' | 'scopes' | 'subject'>

type Method = RegistryRequest['method']

/**
 * A tag or digest as one path segment. Valid tags and digests need no escaping; anything else (a tag
 * from a non-conforming registry's listing, a digest from an unchecked descriptor) is percent-encoded
 * so it cannot add segments or a query. A dot segment would still be resolved away by URL parsing, so
 * it (and an empty reference) is refused.
 */
export function referenceSegment(reference: string): string {
  if (reference === '' || reference === '.' || reference === '..') {
    throw new UsageError(`invalid reference "${reference}": is no tag or digest`)
  }
  // `:` is a legal path character and separates a digest's algorithm from its hex: registries expect it as is.
  return encodeURIComponent(reference).replaceAll('%3A', ':')
}

/** `/v2/<name>/…` for a resource; repository names are validated when built, so they go in as they are. */
export function resourcePath(repository: Repository, resource: Resource): string {
  const base = `/v2/${repository.repository}`
  switch (resource.kind) {
    case 'manifest':
      return `${base}/manifests/${referenceSegment(resource.reference)}`
    case 'blob':
      return `${base}/blobs/${referenceSegment(resource.digest)}`
    case 'upload':
      return `${base}/blobs/uploads/`
    case 'tags':
      return `${base}/tags/list?n=${resource.pageSize}`
    case 'referrers': {
      const query = resource.artifactType === undefined ? '' : `?artifactType=${encodeURIComponent(resource.artifactType)}`
      return `${base}/referrers/${referenceSegment(resource.digest)}${query}`
    }
  }
}

const ACTIONS: Record<Access, string[]> = {pull: ['pull'], push: ['pull', 'push'], delete: ['delete']}

function repositoryAccess(repository: Repository, access: Access): Scope {
  return repositoryScope(repository.repository, ...ACTIONS[access])
}

/** The access a method needs by default: reads pull, writes push, DELETE deletes. */
function accessFor(method: Method): Access {
  if (method === 'GET' || method === 'HEAD') return 'pull'
  return method === 'DELETE' ? 'delete' : 'push'
}

/** The short description errors and `--verbose` lines give (`get manifest`, `list tags`, `delete tag`). */
function describeRequest(method: Method, resource: Resource): string {
  switch (resource.kind) {
    case 'tags':
      return 'list tags'
    case 'referrers':
      return 'list referrers'
    case 'upload':
      return 'push blob'
    case 'blob':
      return method === 'GET' || method === 'HEAD' ? `${method.toLowerCase()} blob` : 'push blob'
    case 'manifest':
      if (method === 'GET' || method === 'HEAD') return `${method.toLowerCase()} manifest`
      if (method === 'DELETE') return resource.reference.includes(':') ? 'delete manifest' : 'delete tag'
      return 'push manifest'
  }
}

/** The tag or digest a resource names, which a not-found error quotes. */
function referenceOf(resource: Resource): string | undefined {
  if (resource.kind === 'manifest') return resource.reference
  if (resource.kind === 'blob' || resource.kind === 'referrers') return resource.digest
  return undefined
}

function resourceSubject(repository: Repository, resource: Resource, action: string): Omit<RequestSubject, 'host'> {
  const reference = referenceOf(resource)
  return {action, repository: repository.repository, ...(reference === undefined ? {} : {reference})}
}

/**
 * The request for `method` on a repository's resource. `access` widens the token scope beyond what
 * the method needs (a push's existence check HEADs with push access, so one token serves the whole
 * push); `action` replaces the derived description where the caller's purpose says more (`probe deletion`).
 */
export function repositoryRequest(
  method: Method,
  repository: Repository,
  resource: Resource,
  options: {access?: Access; action?: string} = {},
): DerivedRequest {
  return {
    method,
    path: resourcePath(repository, resource),
    scopes: [repositoryAccess(repository, options.access ?? accessFor(method))],
    subject: resourceSubject(repository, resource, options.action ?? describeRequest(method, resource)),
  }
}

/** The registry-wide `_catalog` listing: its own scope, no repository. */
export function catalogRequest(pageSize: number): DerivedRequest {
  return {method: 'GET', path: `/v2/_catalog?n=${pageSize}`, scopes: [CATALOG_SCOPE], subject: {action: 'list repositories'}}
}

/** The API root (`GET /v2/`): answers whether the API is served and how it wants credentials. Needs no scope. */
export function pingRequest(): DerivedRequest {
  return {method: 'GET', path: '/v2/', scopes: [], subject: {action: 'check the API'}}
}
