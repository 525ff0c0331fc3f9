import type {ChallengeAuthenticator} from './auth/authenticator.js'
import {header, type RegistryClient} from './client.js'
import {probeDeletion} from './delete.js'
import {DOCKER_HUB_QUOTA_REPOSITORY, type PullQuota, readPullQuota} from './rate-limit.js'
import {isDockerHub} from './docker-hub.js'
import {repositoryIn, type Repository} from './reference.js'
import {pingRequest} from './request.js'
import {discard} from './transport/http.js'
import {RegistryError} from '../errors.js'

export interface ProbeReport {
  registry: string
  url: string
  reachable: true
  /** `Docker-Distribution-API-Version` header, e.g. `registry/2.0`. */
  apiVersion: string | null
  auth: {method: 'none' | 'basic' | 'bearer'; realm: string | null; service: string | null}
  /** `accepted`: null when no credentials were found or none were needed. */
  credentials: {source: string | null; username: string | null; accepted: boolean | null; detail: string | null}
  deletion: {enabled: boolean | null; repository: string; status: number | null; detail: string}
  /** The pull quota a manifest HEAD announces (Docker Hub's `ratelimit-*` headers); null when none is. */
  pullQuota: PullQuota | null
}

export const DEFAULT_PROBE_REPOSITORY = 'reglens-probe/deletion-check'

/**
 * Checks a registry the way `registry test` reports it: reachability and API version (GET /v2/),
 * the auth scheme it challenges with, whether the credentials are accepted, and whether deletion is
 * enabled. The deletion probe DELETEs a random, nonexistent manifest digest, so nothing can be deleted:
 * 404 (unknown manifest) or 202 means deletes are served, 405/UNSUPPORTED means they are disabled.
 */
export async function probeRegistry(
  client: RegistryClient,
  authenticator: ChallengeAuthenticator,
  options: {repository?: string} = {},
): Promise<ProbeReport> {
  // Checked before any request: the name goes into request paths as it is.
  const probed = repositoryIn(client.endpoint.host, options.repository ?? DEFAULT_PROBE_REPOSITORY)
  const credential = await authenticator.credentials()
  let apiVersion: string | null = null
  let accepted: boolean | null = null
  let detail: string | null = null
  let authenticated = false
  try {
    // 401/403 are answers about the credentials; anything else but 200 (a web server's 404, a TLS port's 400) is an error.
    const response = await client.fetch({
      ...pingRequest(),
      accept: (status) => status === 200 || status === 401 || status === 403,
    })
    await discard(response)
    apiVersion = header(response, 'docker-distribution-api-version') ?? null
    authenticated = response.statusCode === 200
    if (credential) accepted = authenticated
    if (!authenticated)
      detail = credential
        ? `HTTP ${response.statusCode} with these credentials`
        : `the registry answered HTTP ${response.statusCode}; credentials are required`
  } catch (error) {
    if (!(error instanceof RegistryError) || error.kind !== 'unauthorized') throw error
    accepted = credential ? false : null
    detail = error.message
  }
  const scheme = authenticator.scheme
  // A token registry hands out anonymous tokens that open /v2/ but little else: it still wants credentials.
  if (!credential && scheme && detail === null)
    detail = `the registry asks for ${scheme.type} auth; without credentials only anonymous access works (public repositories, if any)`
  const report: ProbeReport = {
    registry: client.endpoint.host,
    url: client.endpoint.url,
    reachable: true,
    apiVersion,
    auth: {
      method: scheme?.type ?? 'none',
      realm: scheme?.realm ?? null,
      service: scheme?.type === 'bearer' ? (scheme.service ?? null) : null,
    },
    credentials: {source: credential?.source ?? null, username: credential?.username ?? null, accepted, detail},
    deletion: {
      enabled: null,
      repository: probed.repository,
      status: null,
      detail: 'not probed: not authenticated',
    },
    pullQuota: null,
  }
  if (authenticated) report.deletion = await deletionReport(client, probed, !credential)
  report.pullQuota = await quotaReport(client, probed)
  return report
}

/** Docker Hub's quota through its documented repository; elsewhere through the probe repository. Unreadable is null. */
async function quotaReport(client: RegistryClient, probed: Repository): Promise<PullQuota | null> {
  const where = isDockerHub(client.endpoint.host) ? repositoryIn(client.endpoint.host, DOCKER_HUB_QUOTA_REPOSITORY) : probed
  try {
    return await readPullQuota(client, where)
  } catch (error) {
    if (error instanceof RegistryError) return null
    throw error
  }
}

async function deletionReport(client: RegistryClient, probed: Repository, anonymous: boolean): Promise<ProbeReport['deletion']> {
  const repository = probed.repository
  try {
    const {enabled, status} = await probeDeletion(client, probed)
    return enabled
      ? {enabled, repository, status, detail: `DELETE of a random manifest digest answered ${status}`}
      : {enabled, repository, status, detail: 'DELETE answered 405 (UNSUPPORTED): deletion is disabled'}
  } catch (error) {
    if (!(error instanceof RegistryError) || error.details.status === undefined) throw error
    const status = error.details.status
    const refused = error.kind === 'unauthorized' || error.kind === 'denied'
    const detail = refused
      ? anonymous
        ? 'deleting needs credentials, and none were found'
        : 'these credentials may not delete here'
      : `unexpected answer ${status}`
    return {enabled: null, repository, status, detail}
  }
}
