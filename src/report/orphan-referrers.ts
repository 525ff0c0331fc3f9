import type {ImageReport, OrphanReferrer} from './model.js'
import type {TagFact} from '../cleanup/facts.js'
import type {ContentCache} from '../image/content-cache.js'
import type {Digest} from '../registry/digest.js'
import {headManifest} from '../registry/manifests.js'
import {parseRepository} from '../registry/reference.js'

/** cosign's tags (`sha256-<hex>.sig`, `.att`, `.sbom`) and the OCI referrers tag schema (`sha256-<hex>`) name their subject. */
const SUBJECT_TAG = /^sha256-([0-9a-f]{64})(?:\.(?:sig|att|sbom))?$/

/**
 * Tagged referrers (signatures, attestations, SBOMs) whose subject manifest is gone. The subject
 * comes from the manifest's OCI 1.1 `subject` or from the tag name; a subject not among the
 * repository's tagged manifests and their platforms costs one HEAD, and only a 404 makes an orphan.
 * Untagged referrers (found only through the referrers API) are not looked for.
 */
export async function orphanReferrers(
  cache: ContentCache,
  tags: ReadonlyMap<string, TagFact[]>,
  images: ImageReport[],
): Promise<OrphanReferrer[]> {
  const host = cache.client.endpoint.host
  const present = new Map<string, Set<Digest>>()
  const sizes = new Map<string, number>()
  for (const image of images) {
    const digests = present.get(image.repository) ?? new Set<Digest>()
    digests.add(image.digest)
    for (const platform of image.platforms) digests.add(platform.digest)
    present.set(image.repository, digests)
    sizes.set(`${image.repository}@${image.digest}`, image.size)
  }
  const orphans: OrphanReferrer[] = []
  for (const [name, repositoryTags] of tags) {
    const repository = parseRepository(`${host}/${name}`)
    for (const tag of repositoryTags) {
      const manifest = (await cache.manifest(repository, tag.digest)).manifest
      const fromTag = SUBJECT_TAG.exec(tag.tag)
      const subject =
        manifest.kind === 'image' && manifest.subject ? manifest.subject.digest : fromTag ? (`sha256:${fromTag[1]}` as Digest) : undefined
      if (!subject || present.get(name)?.has(subject)) continue
      if ((await headManifest(cache.client, repository, subject)) !== undefined) continue
      orphans.push({repository: name, tag: tag.tag, digest: tag.digest, subject, size: sizes.get(`${name}@${tag.digest}`) ?? 0})
    }
  }
  return orphans
}
