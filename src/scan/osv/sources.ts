import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

import yauzl from 'yauzl'

import {parseOsvEntry, type OsvEntry} from './schema.js'
import {ReglensError} from '../../errors.js'

/** OSV files are small; a larger one is not an advisory and is not read into memory. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024

function parse(text: string, where: string): OsvEntry | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ReglensError(`${where} is not valid JSON`, 'badResponse')
  }
  return parseOsvEntry(value)
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, {lazyEntries: true, autoClose: true}, (error, zip) =>
      error ? reject(new ReglensError(`${path} is not a readable zip: ${error.message}`, 'badResponse')) : resolve(zip),
    )
  })
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error)
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', reject)
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    })
  })
}

/** Yields the OSV entries of a zip (an osv.dev `all.zip`), one JSON file at a time. */
export async function* entriesFromZip(path: string): AsyncGenerator<OsvEntry> {
  const zip = await openZip(path)
  const queue: (yauzl.Entry | null | Error)[] = []
  let wake: (() => void) | undefined
  const push = (item: yauzl.Entry | null | Error) => {
    queue.push(item)
    wake?.()
  }
  zip.on('entry', (entry: yauzl.Entry) => push(entry))
  zip.on('end', () => push(null))
  zip.on('error', (error: Error) => push(error))
  try {
    zip.readEntry()
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      const item = queue.shift()
      if (item === null || item === undefined) return
      if (item instanceof Error) throw new ReglensError(`${path}: ${item.message}`, 'badResponse')
      if (item.fileName.endsWith('.json') && item.uncompressedSize <= MAX_ENTRY_BYTES) {
        const entry = parse(await readEntry(zip, item), `${path}:${item.fileName}`)
        if (entry) yield entry
      }
      zip.readEntry()
    }
  } finally {
    zip.close()
  }
}

/** Yields the OSV entries of a directory tree: `*.json` files and `*.zip` archives in it. */
export async function* entriesFromDirectory(directory: string): AsyncGenerator<OsvEntry> {
  let names: import('node:fs').Dirent[]
  try {
    names = await readdir(directory, {withFileTypes: true})
  } catch (error) {
    throw new ReglensError(`cannot read OSV directory ${directory}: ${(error as Error).message}`, 'usage')
  }
  for (const item of names.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, item.name)
    if (item.isDirectory()) yield* entriesFromDirectory(path)
    else if (item.name.endsWith('.zip')) yield* entriesFromZip(path)
    else if (item.name.endsWith('.json')) {
      const entry = parse(await readFile(path, 'utf8'), path)
      if (entry) yield entry
    }
  }
}
