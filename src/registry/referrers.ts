import {header, type RegistryClient} from './client.js'
import {type Digest, isDigest} from './digest.js'
import {getManifest} from './manifests.js'
import {paginate} from './pagination.js'
import type {Repository} from './reference.js'
import {listTags} from './tags.js'
import {repositoryRequest} from './request.js'
import {type Descriptor, parseDescriptor} from './types/manifest.js'
import {RegistryError} from '../errors.js'

/**
 * Finding the manifests that refer to another one (signatures, attestations, SBOMs), the three ways
 * registries hold them:
 * - `referrers-api`: OCI distribution 1.1 `GET /v2/<name>/referrers/<digest>`, an index of descriptors,
 *   optionally filtered by artifactType and paged with `Link`.
 * - `referrers-tag`: the spec's fallback for registries without that API (distribution 2.8): a tag
 *   `<alg>-<hex>` holding an index of the subject's referrers, kept up to date by the pushing client.
 * - `cosign-tag`: cosign's own scheme, tags `<alg>-<hex>.sig` / `.att` / `.sbom` holding one manifest.
 */
export type ReferrerMethod = 'referrers-api' | 'referrers-tag' | 'cosign-tag'

export interface Referrer extends Descriptor {
  subject: Digest
  method: ReferrerMethod
  /** The tag it is reachable by (`referrers-tag`: the fallback index's tag; `cosign-tag`: its own). */
  tag?: string
}

const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const

/** `sha256:abc…` → `sha256-abc…` (the spec truncates the hex part to 64 characters only beyond 128; sha256/sha512 fit). */
export function referrersTag(digest: Digest): string {
  const [algorithm, hex] = digest.split(':')
  return `${algorithm}-${hex}`.slice(0, 128)
}

const REFERRER_TAG = /^([a-z0-9]+)-([a-f0-9]{32,})(?:\.(sig|att|sbom))?$/

/** The subject digest a referrer tag names (fallback index or cosign tag), or undefined for an ordinary tag. */
export function subjectOfTag(tag: string): {subject: Digest; cosign?: (typeof COSIGN_SUFFIXES)[number]} | undefined {
  const match = REFERRER_TAG.exec(tag)
  if (!match) return undefined
  const digest = `${match[1]}:${match[2]}`
  if (!isDigest(digest)) return undefined
  return {subject: digest as Digest, ...(match[3] ? {cosign: match[3] as (typeof COSIGN_SUFFIXES)[number]} : {})}
}

/** Ordinary tags apart from referrer tags (each with the subject it names). */
export function splitReferrerTags(tags: Iterable<string>): {images: string[]; referrers: Map<string, Digest>} {
  const images: string[] = []
  const referrers = new Map<string, Digest>()
  for (const tag of tags) {
    const named = subjectOfTag(tag)
    if (named) referrers.set(tag, named.subject)
    else images.push(tag)
  }
  return {images, referrers}
}

/** Validates a referrers answer: an image index whose entries are descriptors. */
function referrerEntries(data: unknown, context: string): Descriptor[] {
  const manifests = (data as {manifests?: unknown} | null)?.manifests
  if (manifests === undefined || manifests === null) return []
  if (!Array.isArray(manifests)) throw new RegistryError(`${context}: "manifests" is not a list`, 'badResponse')
  return manifests.map((entry) => parseDescriptor(entry, context))
}

/**
 * The referrers API answer for `subject`, every page, or undefined when the registry has no such API
 * (a registry offering it never answers 404, per the distribution spec). With `artifactType`, entries
 * of other types are dropped here when the registry did not apply the filter (no `OCI-Filters-Applied`).
 */
export async function referrersFromApi(
  client: RegistryClient,
  repository: Repository,
  subject: Digest,
  options: {artifactType?: string} = {},
): Promise<Referrer[] | undefined> {
  const resource = {kind: 'referrers', digest: subject, artifactType: options.artifactType} as const
  const context = `referrers of ${client.endpoint.host}/${repository.repository}@${subject}`
  const found: Referrer[] = []
  try {
    for await (const {data, response} of paginate(client, {
      ...repositoryRequest('GET', repository, resource),
      headers: {accept: 'application/vnd.oci.image.index.v1+json'},
      withResponse: true,
    })) {
      const filtered = (header(response, 'oci-filters-applied') ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .includes('artifactType')
      for (const entry of referrerEntries(data, context)) {
        if (options.artifactType !== undefined && !filtered && entry.artifactType !== options.artifactType) continue
        found.push({...entry, subject, method: 'referrers-api'})
      }
    }
  } catch (error) {
    if (error instanceof RegistryError && error.details.status === 404 && found.length === 0) return undefined
    throw error
  }
  return found
}

/**
 * Referrers of one repository, discovered with as few requests as the registry allows: the first
 * subject asked about probes the referrers API once; a registry without it is then read through its
 * tags (listed once) for every subject, never probed again.
 */
export class RepositoryReferrers {
  private api: Promise<boolean> | undefined
  private tags: Promise<string[]> | undefined
  private readonly bySubject = new Map<Digest, Promise<Referrer[]>>()
  private readonly apiAnswers = new Map<Digest, Promise<Referrer[] | undefined>>()

  constructor(
    readonly client: RegistryClient,
    readonly repository: Repository,
    /** The repository's tags when the caller has already listed them. */
    tags?: readonly string[],
  ) {
    if (tags) this.tags = Promise.resolve([...tags])
  }

  /** Which method the registry offers for this repository (probing once). */
  async method(probe: Digest): Promise<'referrers-api' | 'referrers-tag'> {
    return (await this.hasApi(probe)) ? 'referrers-api' : 'referrers-tag'
  }

  /** Every referrer of `subject` (not recursive: referrers of referrers are asked for by their digest). */
  of(subject: Digest): Promise<Referrer[]> {
    let referrers = this.bySubject.get(subject)
    if (!referrers) {
      referrers = this.discover(subject)
      this.bySubject.set(subject, referrers)
    }
    return referrers
  }

  /** Every tag of the repository that names a subject (fallback indexes and cosign tags). */
  async referrerTags(): Promise<string[]> {
    return (await this.tagList()).filter((tag) => subjectOfTag(tag) !== undefined)
  }

  private tagList(): Promise<string[]> {
    this.tags ??= allTags(this.client, this.repository)
    return this.tags
  }

  private fromApi(subject: Digest): Promise<Referrer[] | undefined> {
    let answer = this.apiAnswers.get(subject)
    if (!answer) {
      answer = referrersFromApi(this.client, this.repository, subject)
      this.apiAnswers.set(subject, answer)
    }
    return answer
  }

  private hasApi(probe: Digest): Promise<boolean> {
    if (!this.api) this.api = this.fromApi(probe).then((answer) => answer !== undefined)
    return this.api
  }

  private async discover(subject: Digest): Promise<Referrer[]> {
    const viaApi = (await this.hasApi(subject)) ? ((await this.fromApi(subject)) ?? []) : []
    const tags = new Set(await this.tagList())
    const found = new Map<Digest, Referrer>()
    for (const referrer of viaApi) found.set(referrer.digest, referrer)
    const base = referrersTag(subject)
    if (viaApi.length === 0 && tags.has(base)) {
      // The fallback index is read only without the API: with it, the API's answer is authoritative.
      const fetched = await getManifest(this.client, this.repository, base)
      if (fetched.manifest.kind !== 'index')
        throw new RegistryError(
          `${this.client.endpoint.host}/${this.repository.repository}:${base} should be an index of referrers but is a ${fetched.manifest.kind} manifest`,
          'badResponse',
        )
      for (const entry of fetched.manifest.manifests)
        if (!found.has(entry.digest)) found.set(entry.digest, {...entry, subject, method: 'referrers-tag', tag: base})
    }
    for (const suffix of COSIGN_SUFFIXES) {
      const tag = `${base}.${suffix}`
      if (!tags.has(tag)) continue
      const fetched = await getManifest(this.client, this.repository, tag)
      const manifest = fetched.manifest
      const existing = found.get(fetched.digest)
      if (existing) {
        found.set(fetched.digest, {...existing, tag})
        continue
      }
      found.set(fetched.digest, {
        mediaType: fetched.mediaType,
        digest: fetched.digest,
        size: fetched.size,
        ...(manifest.kind === 'image' && manifest.artifactType ? {artifactType: manifest.artifactType} : {}),
        ...(manifest.kind !== 'schema1' && manifest.annotations ? {annotations: manifest.annotations} : {}),
        subject,
        method: 'cosign-tag',
        tag,
      })
    }
    const referrers = [...found.values()]
    this.client.log?.(`referrers of ${this.repository.repository}@${subject}: ${describeMethods(referrers)}`)
    return referrers
  }
}

/** `2 via cosign-tag, 1 via referrers-tag`, or `none`. */
function describeMethods(referrers: readonly Referrer[]): string {
  const counts = new Map<string, number>()
  for (const referrer of referrers) counts.set(referrer.method, (counts.get(referrer.method) ?? 0) + 1)
  return counts.size === 0
    ? 'none'
    : [...counts]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([method, n]) => `${n} via ${method}`)
        .join(', ')
}

async function allTags(client: RegistryClient, repository: Repository): Promise<string[]> {
  const tags: string[] = []
  for await (const tag of listTags(client, repository)) tags.push(tag)
  return tags
}
