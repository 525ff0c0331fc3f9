import {existsSync} from 'node:fs'
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {entrySeverity} from './entry-severity.js'
import type {OsvEntry, OsvRange} from './schema.js'
import {packageKey} from '../names.js'
import type {Severity} from '../severity.js'
import {comparatorFor, ecosystemBase} from '../versions/index.js'

/**
 * The local vulnerability database: one directory per ecosystem (`Debian`, `Alpine`, `npm`, `PyPI`…),
 * one JSON-lines file per package name holding just what matching needs. A scan reads only the files
 * of the packages it found, so a large ecosystem never has to be loaded whole.
 */

/** One OSV entry as it applies to one package of one ecosystem (release included: `Debian:12`). */
export interface Advisory {
  id: string
  aliases: string[]
  summary: string
  severity: Severity
  ecosystem: string
  ranges: OsvRange[]
  versions: string[]
}

export interface EcosystemStatus {
  updated: string
  source: string
  entries: number
  packages: number
}

export interface DatabaseMeta {
  ecosystems: Record<string, EcosystemStatus>
}

const META = 'meta.json'

/** Package names may contain `/` (npm scopes) and other characters a file name cannot. */
const fileName = (name: string): string => `${encodeURIComponent(name).replace(/^\./, '%2E')}.jsonl`

function titleOf(entry: OsvEntry): string {
  if (entry.summary) return entry.summary
  const firstLine = entry.details?.split('\n').find((line) => line.trim() !== '') ?? ''
  return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine
}

/** Collects entries by ecosystem and package, then writes each ecosystem's directory in one swap. */
export class DatabaseWriter {
  private readonly ecosystems = new Map<string, {packages: Map<string, Advisory[]>; ids: Set<string>}>()
  private readonly unsupported = new Map<string, Set<string>>()

  constructor(private readonly directory: string) {}

  /** Adds one entry; withdrawn entries and ecosystems whose version order reglens does not know are skipped. */
  add(entry: OsvEntry): void {
    if (entry.withdrawn) return
    for (const affected of entry.affected) {
      const {ecosystem, name} = affected.package
      const base = ecosystemBase(ecosystem)
      if (!comparatorFor(ecosystem)) {
        let ids = this.unsupported.get(base)
        if (!ids) this.unsupported.set(base, (ids = new Set()))
        ids.add(entry.id)
        continue
      }
      let bucket = this.ecosystems.get(base)
      if (!bucket) this.ecosystems.set(base, (bucket = {packages: new Map(), ids: new Set()}))
      bucket.ids.add(entry.id)
      const key = packageKey(base, name)
      const advisories = bucket.packages.get(key) ?? []
      advisories.push({
        id: entry.id,
        aliases: entry.aliases,
        summary: titleOf(entry),
        severity: entrySeverity(entry, affected),
        ecosystem,
        ranges: affected.ranges,
        versions: affected.versions,
      })
      bucket.packages.set(key, advisories)
    }
  }

  /** Advisories skipped per ecosystem whose version order reglens does not know (an advisory naming a known one too is still imported for it). */
  get skipped(): Record<string, number> {
    return Object.fromEntries([...this.unsupported].sort(([a], [b]) => a.localeCompare(b)).map(([base, ids]) => [base, ids.size]))
  }

  /** Ecosystems (base names) seen so far. */
  get ecosystemNames(): string[] {
    return [...this.ecosystems.keys()].sort()
  }

  /**
   * Replaces the stored data of every ecosystem seen (plus `alsoReplace`, emptied when nothing was seen
   * for it) and records their status. Each ecosystem is written aside and renamed into place.
   */
  async commit(source: string, alsoReplace: string[] = []): Promise<DatabaseMeta> {
    await mkdir(this.directory, {recursive: true})
    const meta = await readMeta(this.directory)
    const updated = new Date().toISOString()
    for (const base of new Set([...this.ecosystems.keys(), ...alsoReplace])) {
      const bucket = this.ecosystems.get(base) ?? {packages: new Map<string, Advisory[]>(), ids: new Set<string>()}
      const staging = join(this.directory, `.staging-${base}-${process.pid}`)
      await rm(staging, {recursive: true, force: true})
      await mkdir(staging, {recursive: true})
      for (const [name, advisories] of bucket.packages) {
        await writeFile(join(staging, fileName(name)), advisories.map((advisory) => JSON.stringify(advisory)).join('\n') + '\n')
      }
      const target = join(this.directory, base)
      const old = join(this.directory, `.old-${base}-${process.pid}`)
      if (existsSync(target)) await rename(target, old)
      await rename(staging, target)
      await rm(old, {recursive: true, force: true})
      meta.ecosystems[base] = {updated, source, entries: bucket.ids.size, packages: bucket.packages.size}
    }
    await writeFile(join(this.directory, META), JSON.stringify(meta, null, 2) + '\n')
    return meta
  }
}

export async function readMeta(directory: string): Promise<DatabaseMeta> {
  try {
    const parsed = JSON.parse(await readFile(join(directory, META), 'utf8')) as Partial<DatabaseMeta>
    return {ecosystems: typeof parsed.ecosystems === 'object' && parsed.ecosystems !== null ? parsed.ecosystems : {}}
  } catch {
    return {ecosystems: {}}
  }
}

/** Reads advisories per package from a database directory, each file at most once. */
export class Database {
  private readonly cache = new Map<string, Promise<Advisory[]>>()

  constructor(readonly directory: string) {}

  advisories(base: string, name: string): Promise<Advisory[]> {
    const key = `${base}/${name}`
    let pending = this.cache.get(key)
    if (!pending) {
      pending = readFile(join(this.directory, base, fileName(name)), 'utf8').then(
        (text) =>
          text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as Advisory),
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return []
          throw error
        },
      )
      this.cache.set(key, pending)
    }
    return pending
  }

  meta(): Promise<DatabaseMeta> {
    return readMeta(this.directory)
  }
}
