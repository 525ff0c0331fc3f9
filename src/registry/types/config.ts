import {RegistryError} from '../../errors.js'
import {type Digest, isDigest} from '../digest.js'
import {type Json, isObject, optionalStringMap, parseJsonObject} from './json.js'
import {MediaType} from './media-types.js'

/**
 * Image config blobs (Docker and OCI image spec) as validated data, no I/O. Registry JSON is
 * untrusted: each field is type-checked; absent or null fields stay absent.
 */

export interface HistoryEntry {
  created?: string
  createdBy?: string
  author?: string
  comment?: string
  /** True when the step produced no layer (ENV, CMD, …): such entries have no entry in `layers`. */
  emptyLayer: boolean
}

export interface ImageConfig {
  created?: string
  author?: string
  os?: string
  architecture?: string
  variant?: string
  osVersion?: string
  user?: string
  workingDir?: string
  entrypoint?: string[]
  cmd?: string[]
  env?: string[]
  labels?: Record<string, string>
  /** `ExposedPorts` keys, e.g. `80/tcp`. */
  exposedPorts?: string[]
  volumes?: string[]
  stopSignal?: string
  history: HistoryEntry[]
  /** Digests of the uncompressed layers, in order. */
  diffIds: Digest[]
}

/** Config media types that describe a runnable image; any other config makes the manifest an artifact. */
export const IMAGE_CONFIG_MEDIA_TYPES: ReadonlySet<string> = new Set([MediaType.ociConfig, MediaType.dockerConfig])

function invalid(context: string, reason: string): never {
  throw new RegistryError(`invalid image config ${context}: ${reason}`, 'badResponse')
}

function optionalString(doc: Json, key: string, context: string): string | undefined {
  const value = doc[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') invalid(context, `${key} must be a string`)
  return value
}

function optionalStrings(doc: Json, key: string, context: string): string[] | undefined {
  const value = doc[key]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) invalid(context, `${key} must be a list of strings`)
  return value as string[]
}

/** `{"80/tcp": {}}`-style sets (ExposedPorts, Volumes): only the keys matter. */
function optionalKeys(doc: Json, key: string, context: string): string[] | undefined {
  const value = doc[key]
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) invalid(context, `${key} must be an object`)
  return Object.keys(value)
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T
}

function parseHistory(value: unknown, context: string): HistoryEntry[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) invalid(context, 'history must be a list')
  return value.map((entry) => {
    if (!isObject(entry)) invalid(context, 'history entry is not an object')
    if (entry.empty_layer !== undefined && entry.empty_layer !== null && typeof entry.empty_layer !== 'boolean')
      invalid(context, 'history empty_layer must be a boolean')
    return defined({
      created: optionalString(entry, 'created', context),
      createdBy: optionalString(entry, 'created_by', context),
      author: optionalString(entry, 'author', context),
      comment: optionalString(entry, 'comment', context),
      emptyLayer: entry.empty_layer === true,
    })
  })
}

function parseDiffIds(doc: Json, context: string): Digest[] {
  const rootfs = doc.rootfs
  if (rootfs === undefined || rootfs === null) return []
  if (!isObject(rootfs)) invalid(context, 'rootfs must be an object')
  const ids = optionalStrings(rootfs, 'diff_ids', context) ?? []
  for (const id of ids) if (!isDigest(id)) invalid(context, `diff_id "${id}" is not a valid digest`)
  return ids as Digest[]
}

/** Parses and validates an image config blob. */
export function parseImageConfig(bytes: Buffer, context: string): ImageConfig {
  const doc = parseJsonObject(bytes.toString('utf8'), (reason) => invalid(context, reason))
  const runtime = doc.config ?? {}
  if (!isObject(runtime)) invalid(context, 'config must be an object')
  return defined({
    created: optionalString(doc, 'created', context),
    author: optionalString(doc, 'author', context),
    os: optionalString(doc, 'os', context),
    architecture: optionalString(doc, 'architecture', context),
    variant: optionalString(doc, 'variant', context) || undefined,
    osVersion: optionalString(doc, 'os.version', context),
    user: optionalString(runtime, 'User', context) || undefined,
    workingDir: optionalString(runtime, 'WorkingDir', context) || undefined,
    entrypoint: optionalStrings(runtime, 'Entrypoint', context),
    cmd: optionalStrings(runtime, 'Cmd', context),
    env: optionalStrings(runtime, 'Env', context),
    labels: optionalStringMap(runtime.Labels, 'Labels', (reason) => invalid(context, reason)),
    exposedPorts: optionalKeys(runtime, 'ExposedPorts', context),
    volumes: optionalKeys(runtime, 'Volumes', context),
    stopSignal: optionalString(runtime, 'StopSignal', context),
    history: parseHistory(doc.history, context),
    diffIds: parseDiffIds(doc, context),
  })
}
