import {open} from 'node:fs/promises'

import {type Digest, parseDigest} from '../registry/digest.js'
import {UsageError} from '../errors.js'

/**
 * Lists of digests in use (`--keep-digests-from FILE`, `keep_digests_from`): one digest or image
 * reference with a digest per line, as `kubectl get pods -A -o jsonpath='{..imageID}'` prints them.
 * Only the digest counts: content is the same in every repository, so protecting it everywhere is safe.
 */

/** A list bigger than this is not a list of digests (about 200 000 lines of kubectl output). */
const MAX_BYTES = 16 * 1024 * 1024
/** `host/repo@sha256:…`, `repo:tag@sha256:…`, after an optional `docker-pullable://` or `docker://`. */
const REFERENCE = /^(?:docker-pullable:\/\/|docker:\/\/)?(?:[A-Za-z0-9._:/-]+@)?([a-z0-9]+:[a-f0-9]+)$/

/** The digests of a list's text; `source` names it in errors (`--keep-digests-from FILE`). */
export function parseDigestList(text: string, source: string): Digest[] {
  const digests: Digest[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const digest = REFERENCE.exec(line)?.[1]
    try {
      if (digest === undefined) throw new UsageError('not a digest')
      digests.push(parseDigest(digest))
    } catch {
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line
      throw new UsageError(
        `${source} line ${index + 1}: expected a digest (sha256:…) or an image reference with one (host/repo@sha256:…), got ${JSON.stringify(shown)}`,
      )
    }
  }
  return digests
}

async function readBounded(path: string, source: string): Promise<string> {
  let file
  try {
    file = path === '-' ? undefined : await open(path)
  } catch (error) {
    throw new UsageError(`${source}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  const stream = file ? file.createReadStream() : process.stdin
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length
      if (size > MAX_BYTES) throw new UsageError(`${source}: larger than ${MAX_BYTES / 1024 / 1024} MiB; that is not a list of digests`)
      chunks.push(chunk as Buffer)
    }
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  } finally {
    await file?.close()
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Reads each list once (`-` is stdin, read once however often it is named); `label` names the
 * option in errors (`--keep-digests-from` or a policy's `keep_digests_from`).
 */
export async function readDigestLists(paths: string[], label: (path: string) => string): Promise<Map<string, ReadonlySet<Digest>>> {
  const lists = new Map<string, ReadonlySet<Digest>>()
  for (const path of new Set(paths)) {
    const source = `${label(path)} ${path === '-' ? 'stdin' : path}`
    lists.set(path, new Set(parseDigestList(await readBounded(path, source), source)))
  }
  return lists
}
