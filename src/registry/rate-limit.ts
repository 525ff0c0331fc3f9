import {header, type RegistryClient} from './client.js'
import {manifestRequest} from './manifests.js'
import type {Repository} from './reference.js'
import {discard, type HttpResponse} from './transport/http.js'

/** A pull quota as Docker Hub announces it on manifest requests. */
export interface PullQuota {
  limit: number
  remaining: number
  /** Length of the quota's window (`w=21600`: six hours), null when not given. */
  windowSeconds: number | null
  /** `docker-ratelimit-source`: the IP address or account the quota is counted against. */
  source: string | null
}

/** The repository Docker documents for reading the quota: any HEAD works, this one always exists. */
export const DOCKER_HUB_QUOTA_REPOSITORY = 'ratelimitpreview/test'

/** `100;w=21600` → {value: 100, window: 21600}; anything else → undefined. */
function parseQuotaHeader(value: string | undefined): {value: number; window: number | null} | undefined {
  const match = value === undefined ? null : /^\s*(\d{1,12})\s*(?:;\s*w=(\d{1,12}))?/.exec(value)
  if (!match) return undefined
  return {value: Number(match[1]), window: match[2] === undefined ? null : Number(match[2])}
}

/** The quota a response announces in `ratelimit-limit` / `ratelimit-remaining`, or null when it announces none. */
export function pullQuotaOf(response: HttpResponse): PullQuota | null {
  const limit = parseQuotaHeader(header(response, 'ratelimit-limit'))
  const remaining = parseQuotaHeader(header(response, 'ratelimit-remaining'))
  if (!limit || !remaining) return null
  return {
    limit: limit.value,
    remaining: remaining.value,
    windowSeconds: limit.window ?? remaining.window,
    source: header(response, 'docker-ratelimit-source') ?? null,
  }
}

/**
 * Reads the pull quota with a HEAD of a manifest: Docker Hub counts GETs of manifests as pulls, not
 * HEADs, so asking costs nothing. Any answer but an auth failure or a server error is read (a 404
 * carries no quota, which is an answer too).
 */
export async function readPullQuota(client: RegistryClient, repository: Repository, reference = 'latest'): Promise<PullQuota | null> {
  const response = await client.fetch({
    ...manifestRequest('HEAD', repository, reference),
    accept: (status) => status < 400 || status === 404,
  })
  await discard(response)
  return pullQuotaOf(response)
}

/** `76 of 100 pulls left (6 h window)`. */
export function describePullQuota(quota: PullQuota): string {
  const window =
    quota.windowSeconds === null
      ? ''
      : ` (${quota.windowSeconds % 3600 === 0 ? `${quota.windowSeconds / 3600} h` : `${quota.windowSeconds} s`} window)`
  return `${quota.remaining} of ${quota.limit} pulls left${window}`
}

/** The warning a run that needs `plannedGets` manifest GETs deserves under `quota`, or undefined when it fits. */
export function quotaShortfall(quota: PullQuota, plannedGets: number): string | undefined {
  if (plannedGets <= quota.remaining) return undefined
  return `this run needs about ${plannedGets} manifest GETs, and the pull quota has ${describePullQuota(quota)}: it may be cut short by HTTP 429`
}
