import {type Digest, isDigest} from '../digest.js'
import {RegistryError} from '../../errors.js'
import {type Json, isObject, optionalStringMap, parseJsonObject} from './json.js'
import {IMAGE_MANIFEST_MEDIA_TYPES, INDEX_MEDIA_TYPES, MediaType} from './media-types.js'

/** Manifests as validated data, no I/O. Registry JSON is untrusted: everything is checked here. */

export interface Platform {
  os: string
  architecture: string
  variant?: string
  'os.version'?: string
}

export interface Descriptor {
  mediaType: string
  digest: Digest
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  artifactType?: string
}

export interface ImageManifest {
  kind: 'image'
  mediaType: string
  config: Descriptor
  layers: Descriptor[]
  artifactType?: string
  subject?: Descriptor
  annotations?: Record<string, string>
}

export interface ImageIndex {
  kind: 'index'
  mediaType: string
  manifests: Descriptor[]
  annotations?: Record<string, string>
}

/** Docker schema 1 (read-only, old registries): layers without sizes. */
export interface SchemaV1Manifest {
  kind: 'schema1'
  mediaType: string
  architecture?: string
  /** From the newest history entry's v1Compatibility, when it says. */
  os?: string
  created?: string
  /** Oldest first. */
  layers: Digest[]
}

export type Manifest = ImageManifest | ImageIndex | SchemaV1Manifest

function invalid(context: string, reason: string): never {
  throw new RegistryError(`invalid manifest ${context}: ${reason}`, 'badResponse')
}

function parsePlatform(value: unknown, context: string): Platform | undefined {
  if (value === undefined || value === null) return undefined
  // `platform: {}` says nothing; registries accept it (and collect garbage around it), so it must not block reading the index.
  if (isObject(value) && value.os === undefined && value.architecture === undefined) return undefined
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string')
    invalid(context, 'platform needs os and architecture strings')
  return {
    os: value.os,
    architecture: value.architecture,
    ...(typeof value.variant === 'string' && value.variant !== '' ? {variant: value.variant} : {}),
    ...(typeof value['os.version'] === 'string' ? {'os.version': value['os.version']} : {}),
  }
}

export function parseDescriptor(value: unknown, context: string): Descriptor {
  if (!isObject(value)) invalid(context, 'descriptor is not an object')
  if (typeof value.mediaType !== 'string') invalid(context, 'descriptor without mediaType')
  if (typeof value.digest !== 'string' || !isDigest(value.digest))
    invalid(context, `descriptor digest "${String(value.digest)}" is not a valid digest`)
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0)
    invalid(context, `descriptor ${value.digest} has no valid size`)
  const platform = parsePlatform(value.platform, context)
  const annotations = optionalStringMap(value.annotations, 'annotations', (reason) => invalid(context, reason))
  return {
    mediaType: value.mediaType,
    digest: value.digest as Digest,
    size: value.size,
    ...(platform ? {platform} : {}),
    ...(annotations ? {annotations} : {}),
    ...(typeof value.artifactType === 'string' ? {artifactType: value.artifactType} : {}),
  }
}

/** The manifest's media type: its own `mediaType` field, else the Content-Type, else inferred from shape. */
function mediaTypeOf(doc: Json, contentType: string | undefined): string {
  if (typeof doc.mediaType === 'string' && doc.mediaType !== '') return doc.mediaType
  const header = contentType?.split(';')[0].trim()
  if (header && header !== 'application/json' && header !== 'application/octet-stream' && header !== 'text/plain') return header
  if (doc.schemaVersion === 1) return MediaType.dockerManifestV1Signed
  if (Array.isArray(doc.manifests)) return MediaType.ociIndex
  return MediaType.ociManifest
}

/** Schema 1 keeps the image config as a JSON string in each history entry; the first is the newest layer's. */
function schema1Newest(history: unknown, context: string): Json {
  if (!Array.isArray(history) || history.length === 0) return {}
  const text = isObject(history[0]) ? history[0].v1Compatibility : undefined
  if (typeof text !== 'string') invalid(context, 'schema 1 history entry without v1Compatibility')
  return parseJsonObject(text, () => invalid(context, 'schema 1 v1Compatibility is not a JSON object'))
}

/** Parses and validates manifest bytes. Unknown media types are a bad response, never a crash. */
export function parseManifest(bytes: Buffer, contentType: string | undefined, context: string): Manifest {
  const doc = parseJsonObject(bytes.toString('utf8'), (reason) => invalid(context, reason))
  const mediaType = mediaTypeOf(doc, contentType)
  const annotations = optionalStringMap(doc.annotations, 'annotations', (reason) => invalid(context, reason))
  if (INDEX_MEDIA_TYPES.has(mediaType)) {
    if (!Array.isArray(doc.manifests)) invalid(context, 'index without a manifests list')
    return {
      kind: 'index',
      mediaType,
      manifests: doc.manifests.map((entry) => parseDescriptor(entry, context)),
      ...(annotations ? {annotations} : {}),
    }
  }
  if (IMAGE_MANIFEST_MEDIA_TYPES.has(mediaType)) {
    if (doc.schemaVersion !== 2) invalid(context, `schemaVersion ${String(doc.schemaVersion)} where 2 is required`)
    if (!Array.isArray(doc.layers)) invalid(context, 'image manifest without a layers list')
    return {
      kind: 'image',
      mediaType,
      config: parseDescriptor(doc.config, context),
      layers: doc.layers.map((layer) => parseDescriptor(layer, context)),
      ...(typeof doc.artifactType === 'string' ? {artifactType: doc.artifactType} : {}),
      ...(doc.subject === undefined ? {} : {subject: parseDescriptor(doc.subject, context)}),
      ...(annotations ? {annotations} : {}),
    }
  }
  if (mediaType === MediaType.dockerManifestV1Signed || mediaType === MediaType.dockerManifestV1) {
    if (!Array.isArray(doc.fsLayers)) invalid(context, 'schema 1 manifest without fsLayers')
    const layers = doc.fsLayers.map((layer) => {
      const sum = isObject(layer) ? layer.blobSum : undefined
      if (typeof sum !== 'string' || !isDigest(sum)) invalid(context, 'schema 1 fsLayers entry without a valid blobSum')
      return sum as Digest
    })
    const newest = schema1Newest(doc.history, context)
    return {
      kind: 'schema1',
      mediaType,
      layers: layers.reverse(),
      ...(typeof doc.architecture === 'string' ? {architecture: doc.architecture} : {}),
      ...(typeof newest.os === 'string' ? {os: newest.os} : {}),
      ...(typeof newest.created === 'string' ? {created: newest.created} : {}),
    }
  }
  return invalid(context, `unknown media type "${mediaType}"`)
}
