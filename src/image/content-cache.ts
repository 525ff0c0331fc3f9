import pLimit, {type LimitFunction} from 'p-limit'

import {RegistryError} from '../errors.js'
import {getBlob, headBlob} from '../registry/blobs.js'
import type {RegistryClient} from '../registry/client.js'
import {type Digest, isDigest} from '../registry/digest.js'
import {type FetchedManifest, getManifest, resolveManifest} from '../registry/manifests.js'
import type {Repository} from '../registry/reference.js'
import {type ImageConfig, parseImageConfig} from '../registry/types/config.js'
import type {Descriptor} from '../registry/types/manifest.js'

export interface ContentCacheOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number
}

/**
 * Fetches manifests and image configs for one run, each distinct digest once. Content is addressed
 * by digest, so a digest fetched from one repository serves every repository of the same registry.
 *
 * Tags cost one HEAD each (to learn the digest), then one GET per digest not seen yet; only the
 * run's first tag is fetched with a direct GET, since no cached digest could spare it.
 */
export class ContentCache {
  readonly client: RegistryClient
  private readonly limit: LimitFunction
  private readonly manifests = new Map<Digest, Promise<FetchedManifest>>()
  private readonly configs = new Map<Digest, Promise<ImageConfig>>()
  private readonly blobSizes = new Map<Digest, Promise<number>>()
  private readonly tags = new Map<string, Promise<FetchedManifest>>()
  /** The run's only GET by tag: a HEAD answered while it is in flight waits for it, as it may be the same digest. */
  private firstTagGet?: Promise<unknown>

  constructor(client: RegistryClient, options: ContentCacheOptions = {}) {
    this.client = client
    this.limit = pLimit(options.concurrency ?? 8)
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
        if (bytes.length !== descriptor.size) throw new RegistryError(`image config ${context} is ${bytes.length} bytes where its manifest says ${descriptor.size}`, 'badResponse')
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
      fetched = this.limit(() => getManifest(this.client, repository, digest))
      this.manifests.set(digest, fetched)
    }
    return fetched
  }

  private remember(fetched: FetchedManifest): FetchedManifest {
    if (!this.manifests.has(fetched.digest)) this.manifests.set(fetched.digest, Promise.resolve(fetched))
    return fetched
  }

  private async byTag(repository: Repository, tag: string): Promise<FetchedManifest> {
    if (!this.firstTagGet) {
      const get = this.limit(() => getManifest(this.client, repository, tag))
      this.firstTagGet = get.catch(() => undefined)
      return this.remember(await get)
    }
    const resolved = await this.limit(() => resolveManifest(this.client, repository, tag))
    if (!resolved) throw new RegistryError(`${this.client.endpoint.host}/${repository.repository}:${tag} not found`, 'notFound', {status: 404})
    if (resolved.fetched) return this.remember(resolved.fetched)
    await this.firstTagGet
    return this.byDigest(repository, resolved.head.digest)
  }
}
