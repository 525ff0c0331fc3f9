import {gunzipSync, gzipSync} from 'node:zlib'

import {pack} from 'tar-stream'

import type {RegistryClient} from '../registry/client.js'
import {type Digest, digestOf} from '../registry/digest.js'
import {pushBlob, pushManifest} from '../registry/push.js'
import type {Repository} from '../registry/reference.js'
import type {Platform} from '../registry/types/manifest.js'
import {MediaType} from '../registry/types/media-types.js'

/**
 * Builds real images (gzip'd tar layers, config, manifest, index) in memory and pushes them through
 * the registry API. Used to seed the demo, the benchmark and the integration tests.
 */

export type ImageFormat = 'docker' | 'oci'

export interface BuiltBlob {
  digest: Digest
  bytes: Buffer
  mediaType: string
}

export interface BuiltImage {
  format: ImageFormat
  platform: Platform
  config: BuiltBlob
  layers: BuiltBlob[]
  manifest: BuiltBlob
}

export interface BuiltIndex {
  format: ImageFormat
  children: BuiltImage[]
  /** buildx-style attestation manifests, one per child (OCI only). */
  attestations: BuiltImage[]
  manifest: BuiltBlob
}

/** A gzip'd tar of the given files (path → content), with fixed mtimes so the bytes are reproducible. */
export async function tarLayer(files: Record<string, string | Buffer>): Promise<Buffer> {
  const archive = pack()
  for (const [name, content] of Object.entries(files)) {
    archive.entry({name, mtime: new Date(0), mode: 0o644}, typeof content === 'string' ? Buffer.from(content) : content)
  }
  archive.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of archive) chunks.push(chunk as Buffer)
  return gzipSync(Buffer.concat(chunks), {level: 6})
}

function blob(bytes: Buffer, mediaType: string): BuiltBlob {
  return {digest: digestOf(bytes), bytes, mediaType}
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

export interface ImageSpec {
  format?: ImageFormat
  platform?: Platform
  /** RFC 3339; omitted from the config when null. */
  created?: string | null
  /** Layer contents: files per layer, raw pre-built gzip'd tar bytes, or those with their diff_id (too large to gunzip in memory). */
  layers: (Record<string, string | Buffer> | Buffer | PrebuiltLayer)[]
  labels?: Record<string, string>
  entrypoint?: string[]
  cmd?: string[]
  env?: string[]
  /** Config media type override (for artifacts); the OCI empty type gets the empty config `{}`. */
  configMediaType?: string
  /** The manifest's `artifactType` (OCI 1.1 artifacts). */
  artifactType?: string
}

export interface PrebuiltLayer {
  gzip: Buffer
  diffId: Digest
}

const isPrebuilt = (layer: ImageSpec['layers'][number]): layer is PrebuiltLayer =>
  !Buffer.isBuffer(layer) && Buffer.isBuffer(layer.gzip) && typeof layer.diffId === 'string'

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const format = spec.format ?? 'oci'
  const platform = spec.platform ?? {os: 'linux', architecture: 'amd64'}
  const layerMediaType = format === 'oci' ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip
  const layers = await Promise.all(
    spec.layers.map(async (layer) =>
      blob(
        isPrebuilt(layer) ? layer.gzip : Buffer.isBuffer(layer) ? layer : await tarLayer(layer as Record<string, string | Buffer>),
        layerMediaType,
      ),
    ),
  )
  const diffIds = spec.layers.map((layer, index) => (isPrebuilt(layer) ? layer.diffId : digestOf(gunzipped(layers[index].bytes))))
  const configDoc = {
    ...(spec.created === null ? {} : {created: spec.created ?? '2024-01-01T00:00:00Z'}),
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? {variant: platform.variant} : {}),
    config: {
      ...(spec.env ? {Env: spec.env} : {}),
      ...(spec.entrypoint ? {Entrypoint: spec.entrypoint} : {}),
      ...(spec.cmd ? {Cmd: spec.cmd} : {}),
      ...(spec.labels ? {Labels: spec.labels} : {}),
    },
    rootfs: {type: 'layers', diff_ids: diffIds},
    history: layers.map((_, index) => ({created: spec.created ?? '2024-01-01T00:00:00Z', created_by: `layer ${index}`})),
  }
  const configMediaType = spec.configMediaType ?? (format === 'oci' ? MediaType.ociConfig : MediaType.dockerConfig)
  const config = blob(configMediaType === MediaType.ociEmpty ? Buffer.from('{}') : json(configDoc), configMediaType)
  const manifestMediaType = format === 'oci' ? MediaType.ociManifest : MediaType.dockerManifest
  const manifest = blob(
    json({
      schemaVersion: 2,
      mediaType: manifestMediaType,
      ...(spec.artifactType === undefined ? {} : {artifactType: spec.artifactType}),
      config: {mediaType: config.mediaType, digest: config.digest, size: config.bytes.length},
      layers: layers.map((layer) => ({mediaType: layer.mediaType, digest: layer.digest, size: layer.bytes.length})),
    }),
    manifestMediaType,
  )
  return {format, platform, config, layers, manifest}
}

/** diff_ids are digests of the uncompressed layer; a layer that is not gzip'd is its own diff. */
function gunzipped(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes)
  } catch {
    return bytes
  }
}

/** A buildx-style attestation manifest (in-toto layer, unknown/unknown platform) for `subject`. */
async function buildAttestation(subject: BuiltImage): Promise<BuiltImage> {
  const statement = json({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://spdx.dev/Document',
    subject: [{digest: {sha256: subject.manifest.digest.slice(7)}}],
  })
  const layer = blob(statement, 'application/vnd.in-toto+json')
  const config = blob(
    json({architecture: 'unknown', os: 'unknown', config: {}, rootfs: {type: 'layers', diff_ids: [layer.digest]}}),
    MediaType.ociConfig,
  )
  const manifest = blob(
    json({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: {mediaType: config.mediaType, digest: config.digest, size: config.bytes.length},
      layers: [
        {
          mediaType: layer.mediaType,
          digest: layer.digest,
          size: layer.bytes.length,
          annotations: {'in-toto.io/predicate-type': 'https://spdx.dev/Document'},
        },
      ],
    }),
    MediaType.ociManifest,
  )
  return {format: 'oci', platform: {os: 'unknown', architecture: 'unknown'}, config, layers: [layer], manifest}
}

function platformOf(platform: Platform) {
  return {architecture: platform.architecture, os: platform.os, ...(platform.variant ? {variant: platform.variant} : {})}
}

/** An OCI index or Docker manifest list over `children`; OCI indexes may carry attestations. */
export async function buildIndex(
  children: BuiltImage[],
  options: {format?: ImageFormat; attestations?: boolean} = {},
): Promise<BuiltIndex> {
  const format = options.format ?? 'oci'
  const attestations = options.attestations && format === 'oci' ? await Promise.all(children.map(buildAttestation)) : []
  const mediaType = format === 'oci' ? MediaType.ociIndex : MediaType.dockerManifestList
  const entries = [
    ...children.map((child) => ({
      mediaType: child.manifest.mediaType,
      digest: child.manifest.digest,
      size: child.manifest.bytes.length,
      platform: platformOf(child.platform),
    })),
    ...attestations.map((attestation, index) => ({
      mediaType: attestation.manifest.mediaType,
      digest: attestation.manifest.digest,
      size: attestation.manifest.bytes.length,
      platform: {architecture: 'unknown', os: 'unknown'},
      annotations: {'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': children[index].manifest.digest},
    })),
  ]
  const manifest = blob(json({schemaVersion: 2, mediaType, manifests: entries}), mediaType)
  return {format, children, attestations, manifest}
}

/** Pushes an image's blobs and manifest; tags it when `tag` is given, else pushes by digest. */
export async function pushImage(client: RegistryClient, repository: Repository, image: BuiltImage, tag?: string): Promise<Digest> {
  await Promise.all([image.config, ...image.layers].map((part) => pushBlob(client, repository, part.bytes)))
  return pushManifest(client, repository, tag ?? image.manifest.digest, image.manifest.bytes, image.manifest.mediaType)
}

/** Pushes every child (and attestation) by digest, then the index under `tag`. */
export async function pushIndex(client: RegistryClient, repository: Repository, index: BuiltIndex, tag?: string): Promise<Digest> {
  for (const child of [...index.children, ...index.attestations]) await pushImage(client, repository, child)
  return pushManifest(client, repository, tag ?? index.manifest.digest, index.manifest.bytes, index.manifest.mediaType)
}

/** An OCI index listing other indexes (allowed by the OCI image spec), and images beside them. */
export function buildNestedIndex(indexes: BuiltIndex[], images: BuiltImage[] = []): BuiltBlob {
  const entries = [
    ...indexes.map((index) => ({mediaType: index.manifest.mediaType, digest: index.manifest.digest, size: index.manifest.bytes.length})),
    ...images.map((image) => ({
      mediaType: image.manifest.mediaType,
      digest: image.manifest.digest,
      size: image.manifest.bytes.length,
      platform: platformOf(image.platform),
    })),
  ]
  return blob(json({schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries}), MediaType.ociIndex)
}

/** Pushes the nested indexes and images by digest, then the outer index under `tag`. */
export async function pushNestedIndex(
  client: RegistryClient,
  repository: Repository,
  outer: BuiltBlob,
  indexes: BuiltIndex[],
  images: BuiltImage[],
  tag: string,
): Promise<Digest> {
  for (const index of indexes) await pushIndex(client, repository, index)
  for (const image of images) await pushImage(client, repository, image)
  return pushManifest(client, repository, tag, outer.bytes, outer.mediaType)
}
