import {createWriteStream} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {Agent, type Dispatcher, interceptors, request} from 'undici'

import {entriesFromDirectory, entriesFromZip} from './sources.js'
import {type DatabaseMeta, DatabaseWriter} from './store.js'
import {ReglensError, UsageError} from '../../errors.js'
import {ecosystemBase} from '../versions/index.js'

/** Where osv.dev publishes `<ecosystem>/all.zip`. */
export const DEFAULT_OSV_SOURCE = 'https://osv-vulnerabilities.storage.googleapis.com'
export const DEFAULT_ECOSYSTEMS = ['Debian', 'Alpine', 'npm', 'PyPI', 'Go']

export interface UpdateProgress {
  (event: {ecosystem: string; phase: 'download' | 'import'; bytes: number; total?: number}): void
}

/** Streams a URL to a file (never buffered: Debian's all.zip is large). */
async function download(
  url: string,
  path: string,
  dispatcher: Dispatcher,
  onBytes: (bytes: number, total?: number) => void,
): Promise<void> {
  let response
  try {
    response = await request(url, {dispatcher, headers: {'user-agent': 'reglens'}})
  } catch (error) {
    throw new ReglensError(`cannot download ${url}: ${(error as Error).message}`, 'network')
  }
  if (response.statusCode !== 200) {
    await response.body.dump()
    throw new ReglensError(`cannot download ${url}: HTTP ${response.statusCode}`, response.statusCode === 404 ? 'notFound' : 'badResponse')
  }
  const total = Number(response.headers['content-length']) || undefined
  let bytes = 0
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      onBytes(bytes, total)
      callback(null, chunk)
    },
  })
  await pipeline(response.body, count, createWriteStream(path))
}

/**
 * Downloads each ecosystem's `all.zip` from `source` and replaces its part of the database in
 * `directory`. An ecosystem whose download fails leaves its previous data in place.
 */
export async function updateDatabase(
  directory: string,
  options: {ecosystems?: string[]; source?: string; onProgress?: UpdateProgress} = {},
): Promise<DatabaseMeta> {
  const source = (options.source ?? DEFAULT_OSV_SOURCE).replace(/\/+$/, '')
  const ecosystems = options.ecosystems ?? DEFAULT_ECOSYSTEMS
  const scratch = await mkdtemp(join(tmpdir(), 'reglens-osv-'))
  const dispatcher = new Agent().compose(interceptors.redirect({maxRedirections: 5}))
  try {
    const writer = new DatabaseWriter(directory)
    for (const ecosystem of ecosystems) {
      const zip = join(scratch, `${ecosystem.replace(/[^\w.-]/g, '_')}.zip`)
      await download(`${source}/${encodeURIComponent(ecosystem)}/all.zip`, zip, dispatcher, (bytes, total) =>
        options.onProgress?.({ecosystem, phase: 'download', bytes, ...(total ? {total} : {})}),
      )
      let count = 0
      for await (const entry of entriesFromZip(zip)) {
        writer.add(entry)
        if (++count % 1000 === 0) options.onProgress?.({ecosystem, phase: 'import', bytes: count})
      }
      await rm(zip, {force: true})
    }
    return await writer.commit(source, ecosystems.map(ecosystemBase))
  } finally {
    await dispatcher.close()
    await rm(scratch, {recursive: true, force: true})
  }
}

/** One line naming what an import skipped: `Maven (12), crates.io (3)`. */
export function describeSkipped(skipped: Record<string, number>): string {
  return Object.entries(skipped)
    .map(([base, count]) => `${base} (${count})`)
    .join(', ')
}

/**
 * Imports OSV files (`*.json`, `*.zip`) from a local directory, replacing the ecosystems they cover.
 * Advisories of ecosystems reglens cannot match are skipped and counted, not a reason to refuse the rest.
 */
export async function importDirectory(directory: string, from: string): Promise<DatabaseMeta & {skipped: Record<string, number>}> {
  const writer = new DatabaseWriter(directory)
  for await (const entry of entriesFromDirectory(from)) writer.add(entry)
  // A mistyped or not-yet-filled directory must not look like a successful update.
  if (writer.ecosystemNames.length === 0) {
    const skipped = Object.keys(writer.skipped).length > 0 ? ` (skipped, unsupported ecosystems: ${describeSkipped(writer.skipped)})` : ''
    throw new UsageError(
      `no OSV advisories under ${from} (expected *.json files or *.zip archives of a supported ecosystem)${skipped}; nothing was imported`,
    )
  }
  return {...(await writer.commit(`dir:${from}`)), skipped: writer.skipped}
}
