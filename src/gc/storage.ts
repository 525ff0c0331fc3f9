import {constants} from 'node:fs'
import {lstat, open, readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {GC_SETTINGS} from './hints.js'
import {type Digest, isDigest} from '../registry/digest.js'
import {parseManifest} from '../registry/types/manifest.js'
import {ReglensError, UsageError} from '../errors.js'

/**
 * Reads the filesystem storage driver's layout (read-only), as `registry garbage-collect` sees it:
 *   docker/registry/v2/repositories/<name>/_layers/                       (marks a directory as a repository)
 *   docker/registry/v2/repositories/<name>/_manifests/revisions/<alg>/<hex>/link
 *   docker/registry/v2/repositories/<name>/_manifests/tags/<tag>/current/link
 *   docker/registry/v2/blobs/<alg>/<2 hex>/<hex>/data
 */

export interface StoredManifest {
  digest: Digest
  mediaType: string
  /** What the registry's mark phase marks for it: config and layers, or an index's manifests. */
  references: Digest[]
  /** An index's manifests (a subset of references). */
  children: Digest[]
}

export interface StoredRepository {
  name: string
  /** Manifest revisions with a link whose blob exists (what the registry enumerates). */
  revisions: Digest[]
  /** Each tag's current digest. */
  tags: {tag: string; digest: Digest}[]
  /** Revision directories, with or without a link (a deleted manifest keeps its directory). */
  revisionDirectories: Digest[]
}

export interface StorageLayout {
  root: string
  repositories: StoredRepository[]
  /** Every blob in the blob store, with its size in bytes. */
  blobs: Map<Digest, number>
  manifests: Map<Digest, StoredManifest>
  /** Every digest that has a revision directory in some repository, deleted or not: these blobs are manifests. */
  manifestDigests: Set<Digest>
}

/**
 * Storage is untrusted (and --storage often runs as root): only regular files and directories are
 * read, no symbolic link is ever followed (so nothing outside the root is reached), and every read is
 * bounded. A path that breaks this ends the run with one line naming it.
 */
const MAX_LINK_BYTES = 1024
/** The registry itself refuses manifests larger than 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024

function badPath(path: string, why: string): ReglensError {
  return new ReglensError(
    `${GC_SETTINGS.storage}: ${path}: ${why}; not a registry's storage layout (nothing was read past it)`,
    'badResponse',
  )
}

const missing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

/** Names in a directory; none when it does not exist. A symbolic link in its place is refused, never followed. */
async function entries(dir: string): Promise<string[]> {
  try {
    const info = await lstat(dir)
    if (info.isSymbolicLink()) throw badPath(dir, 'is a symbolic link')
    if (!info.isDirectory()) return []
    return await readdir(dir)
  } catch (error) {
    if (missing(error)) return []
    throw error
  }
}

/** A regular file's content, at most `limit` bytes: never a link, FIFO, device or larger file. */
async function readRegular(path: string, limit: number): Promise<Buffer | undefined> {
  let handle
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: a symbolic link fails (ELOOP).
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    if (missing(error)) return undefined
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP' || code === 'EMLINK') throw badPath(path, 'is a symbolic link')
    throw badPath(path, `cannot be read (${code ?? (error as Error).message})`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw badPath(path, 'is not a regular file')
    if (info.size > limit) throw badPath(path, `is ${info.size} bytes, more than the ${limit} such a file can be`)
    const buffer = Buffer.alloc(limit + 1)
    const {bytesRead} = await handle.read(buffer, 0, limit + 1, 0)
    if (bytesRead > limit) throw badPath(path, `holds more than the ${limit} bytes such a file can be`)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

async function readLink(path: string): Promise<Digest | undefined> {
  const text = (await readRegular(path, MAX_LINK_BYTES))?.toString('utf8').trim()
  return text !== undefined && isDigest(text) ? (text as Digest) : undefined
}

export function blobPath(v2: string, digest: Digest): string {
  const [algorithm, hex] = digest.split(':')
  return join(v2, 'blobs', algorithm, hex.slice(0, 2), hex, 'data')
}

/** Repository directories are those holding `_layers`; other `_`-directories are never descended. */
async function findRepositories(dir: string, prefix: string, found: string[]): Promise<void> {
  const names = await entries(dir)
  if (names.includes('_layers') && prefix !== '') found.push(prefix)
  for (const name of names.sort()) {
    if (name.startsWith('_')) continue
    const path = join(dir, name)
    const info = await lstat(path)
    if (info.isSymbolicLink()) throw badPath(path, 'is a symbolic link')
    if (info.isDirectory()) await findRepositories(path, prefix === '' ? name : `${prefix}/${name}`, found)
  }
}

async function readBlobs(v2: string): Promise<Map<Digest, number>> {
  const blobs = new Map<Digest, number>()
  for (const algorithm of await entries(join(v2, 'blobs'))) {
    for (const prefix of await entries(join(v2, 'blobs', algorithm))) {
      for (const hex of await entries(join(v2, 'blobs', algorithm, prefix))) {
        const digest = `${algorithm}:${hex}`
        if (!isDigest(digest)) continue
        const data = join(v2, 'blobs', algorithm, prefix, hex, 'data')
        try {
          const info = await lstat(data)
          if (!info.isFile()) throw badPath(data, info.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file')
          blobs.set(digest as Digest, info.size)
        } catch (error) {
          if (!missing(error)) throw error
        }
      }
    }
  }
  return blobs
}

async function readRepository(v2: string, name: string, blobs: Map<Digest, number>): Promise<StoredRepository> {
  const manifestsDir = join(v2, 'repositories', name, '_manifests')
  const revisions: Digest[] = []
  const revisionDirectories: Digest[] = []
  for (const algorithm of await entries(join(manifestsDir, 'revisions'))) {
    for (const hex of await entries(join(manifestsDir, 'revisions', algorithm))) {
      if (isDigest(`${algorithm}:${hex}`)) revisionDirectories.push(`${algorithm}:${hex}` as Digest)
      const digest = await readLink(join(manifestsDir, 'revisions', algorithm, hex, 'link'))
      // A deleted manifest keeps its directory but loses its link; a link to a missing blob is skipped too.
      if (digest && digest === `${algorithm}:${hex}` && blobs.has(digest)) revisions.push(digest)
    }
  }
  const tags: StoredRepository['tags'] = []
  for (const tag of await entries(join(manifestsDir, 'tags'))) {
    const digest = await readLink(join(manifestsDir, 'tags', tag, 'current', 'link'))
    if (digest) tags.push({tag, digest})
  }
  return {name, revisions: revisions.sort(), tags, revisionDirectories}
}

async function readManifest(v2: string, digest: Digest): Promise<StoredManifest> {
  const path = blobPath(v2, digest)
  const bytes = await readRegular(path, MAX_MANIFEST_BYTES)
  if (!bytes) throw badPath(path, 'disappeared while reading')
  const manifest = parseManifest(bytes, undefined, `${digest} in ${v2}`)
  if (manifest.kind === 'index') {
    const children = manifest.manifests.map((entry) => entry.digest)
    return {digest, mediaType: manifest.mediaType, references: children, children}
  }
  if (manifest.kind === 'schema1') return {digest, mediaType: manifest.mediaType, references: manifest.layers, children: []}
  return {
    digest,
    mediaType: manifest.mediaType,
    references: [manifest.config.digest, ...manifest.layers.map((layer) => layer.digest)],
    children: [],
  }
}

/** Reads the layout under a storage root (the `rootdirectory` of the filesystem driver, e.g. /var/lib/registry). */
export async function readStorage(root: string): Promise<StorageLayout> {
  const v2 = join(root, 'docker', 'registry', 'v2')
  const exists = await stat(v2).then(
    (info) => info.isDirectory(),
    () => false,
  )
  if (!exists)
    throw new UsageError(
      `${GC_SETTINGS.storage} ${root}: no registry storage there (expected ${v2}; give the filesystem driver's rootdirectory, e.g. /var/lib/registry)`,
    )
  const blobs = await readBlobs(v2)
  const names: string[] = []
  await findRepositories(join(v2, 'repositories'), '', names)
  const repositories = await Promise.all(names.map((name) => readRepository(v2, name, blobs)))
  const manifests = new Map<Digest, StoredManifest>()
  const digests = new Set(repositories.flatMap((repository) => repository.revisions))
  await Promise.all([...digests].map(async (digest) => manifests.set(digest, await readManifest(v2, digest))))
  return {
    root,
    repositories,
    blobs,
    manifests,
    manifestDigests: new Set(repositories.flatMap((repository) => repository.revisionDirectories)),
  }
}
