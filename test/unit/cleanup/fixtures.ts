import type {ManifestFacts, RepositoryFacts} from '../../../src/cleanup/facts.js'
import type {Digest} from '../../../src/registry/digest.js'

export const digest = (n: number): Digest => `sha256:${n.toString(16).padStart(64, '0')}`

export function image(n: number, created?: string, size = 100): ManifestFacts {
  return {
    digest: digest(n),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    kind: 'image',
    manifestSize: 10,
    size,
    children: [],
    blobs: [],
    ...(created ? {created} : {}),
  }
}

export function index(n: number, children: number[], created?: string): ManifestFacts {
  return {
    digest: digest(n),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    kind: 'index',
    manifestSize: 10,
    size: 300,
    children: children.map(digest),
    blobs: [],
    ...(created ? {created} : {}),
  }
}

export function repo(tags: Record<string, number>, manifests: ManifestFacts[]): RepositoryFacts {
  return {
    repository: 'team/app',
    tags: Object.entries(tags).map(([tag, n]) => ({tag, digest: digest(n)})),
    manifests: new Map(manifests.map((m) => [m.digest, m])),
  }
}
