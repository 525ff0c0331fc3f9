import pLimit, {type LimitFunction} from 'p-limit'

import {RegistryError} from '../errors.js'
import {getBlob, headBlob} from '../registry/blobs.js'
import type {RegistryClient} from '../registry/client.js'
import {type Digest, isDigest} from '../registry/digest.js'
import {isDockerHub} from '../registry/docker-hub.js'
import {type FetchedManifest, getManifest, resolveManifest} from '../registry/manifests.js'
import type {Repository} from '../registry/reference.js'
import {type ImageConfig, parseImageConfig} from '../registry/types/config.js'
import type {Descriptor} from '../registry/types/manifest.js'

/**
 * How a tag becomes content. `get`: one GET per tag brings digest and content at once, the fewest
 * requests. `head`: one HEAD per tag, then one GET per digest not seen yet (only the run's first tag
 * is a direct GET, since no cached digest could spare it): more requests, but fewer bytes when many
 * tags share a digest, and HEADs do not count against Docker Hub's pull rate limit.
 */
export type TagLookup = 'get' | 'head'

/** `head` on Docker Hub, where manifest GETs are counted as pulls; `get` everywhere else. */
export function defaultTagLookup(host: string): TagLookup {
  return isDockerHub(host) ? 'head' : 'get'
}

export interface ContentCacheOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number
  /** Default: defaultTagLookup(the client's host). */
  tagLookup?: TagLookup
}

/**
 * Fetches manifests and image configs for one run, each distinct digest once. Content is addressed
 * by digest, so a digest fetched from one repository serves every repository of the same registry.
 * Tags are resolved as `tagLookup` says.
 */
export class ContentCache {
  readonly client: RegistryClient
  private readonly limit: LimitFunction
  private readonly manifests = new Map<Digest, Promise<FetchedManifest>>()
  private readonly configs = new Map<Digest, Promise<ImageConfig>>()
  private readonly blobSizes = new Map<Digest, Promise<number>>()
  private readonly tags = new Map<string, Promise<FetchedManifest>>()
  private readonly tagLookup: TagLookup
  /** Manifests that GETs by tag brought, by digest. */
  private readonly fetchedByTag = new Map<Digest, FetchedManifest>()
  /**
   * GETs by tag on the wire: a digest asked for meanwhile waits for them (at most one round trip),
   * as one may bring it. Queued ones are not waited for: that would stall the pipeline.
   */
  private readonly tagGetsRunning = new Set<Promise<unknown>>()
  private tagGets = 0

  constructor(client: RegistryClient, options: ContentCacheOptions = {}) {
    this.client = client
    this.limit = pLimit(options.concurrency ?? 8)
    this.tagLookup = options.tagLookup ?? defaultTagLookup(client.endpoint.host)
  }

  /** A manifest by tag or digest, verified against its digest. */
  manifest(repository: Repository, reference: string): Promise<FetchedManifest> {
    if (isDigest(reference)) return this.byDigest(repository, reference as Digest)
    const key = `${repository.repository}:${reference}`
    let fetched = this.tags.get(key)
    if (!fetched) {
      fetched = this.byTag(repository, reference)
      this.tags.set(key, fetched)
    }
    return fetched
  }

  /** The validated image config a manifest's config descriptor points to. */
  config(repository: Repository, descriptor: Descriptor): Promise<ImageConfig> {
    let config = this.configs.get(descriptor.digest)
    if (!config) {
      config = this.limit(() => getBlob(this.client, repository, descriptor.digest)).then((bytes) => {
        const context = `${this.client.endpoint.host}/${repository.repository}@${descriptor.digest}`
        if (bytes.length !== descriptor.size)
          throw new RegistryError(
            `image config ${context} is ${bytes.length} bytes where its manifest says ${descriptor.size}`,
            'badResponse',
          )
        return parseImageConfig(bytes, context)
      })
      this.configs.set(descriptor.digest, config)
    }
    return config
  }

  /** A blob's size by HEAD, for schema 1 manifests, which record none. */
  blobSize(repository: Repository, digest: Digest): Promise<number> {
    let size = this.blobSizes.get(digest)
    if (!size) {
      size = this.limit(() => headBlob(this.client, repository, digest))
      this.blobSizes.set(digest, size)
    }
    return size
  }

  private byDigest(repository: Repository, digest: Digest): Promise<FetchedManifest> {
    let fetched = this.manifests.get(digest)
    if (!fetched) {
      const running = [...this.tagGetsRunning]
      const known = running.length === 0 ? Promise.resolve(undefined) : Promise.all(running).then(() => this.fetchedByTag.get(digest))
      fetched = known.then((manifest) => manifest ?? this.limit(() => getManifest(this.client, repository, digest)))
      this.manifests.set(digest, fetched)
    }
    return fetched
  }

  private getByTag(repository: Repository, tag: string): Promise<FetchedManifest> {
    this.tagGets++
    return this.limit(() => {
      const get = getManifest(this.client, repository, tag)
      const settled = get.then(
        (fetched) => {
          this.fetchedByTag.set(fetched.digest, fetched)
          if (!this.manifests.has(fetched.digest)) this.manifests.set(fetched.digest, Promise.resolve(fetched))
        },
        () => undefined,
      )
      this.tagGetsRunning.add(settled)
      void settled.then(() => this.tagGetsRunning.delete(settled))
      return get
    })
  }

  private async byTag(repository: Repository, tag: string): Promise<FetchedManifest> {
    if (this.tagLookup === 'get' || this.tagGets === 0) return this.getByTag(repository, tag)
    const resolved = await this.limit(() => resolveManifest(this.client, repository, tag))
    if (!resolved)
      throw new RegistryError(`${this.client.endpoint.host}/${repository.repository}:${tag} not found`, 'notFound', {status: 404})
    if (resolved.fetched) {
      if (!this.manifests.has(resolved.fetched.digest)) this.manifests.set(resolved.fetched.digest, Promise.resolve(resolved.fetched))
      return resolved.fetched
    }
    return this.byDigest(repository, resolved.head.digest)
  }
}
