import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** How long a listing serves completions before it is asked for again. */
export const COMPLETION_CACHE_TTL_MS = 60_000
/** Enough names for any prompt; a larger catalog is cut (completion then shows the first ones). */
const MAX_NAMES = 20_000

interface Entry {
  savedAt: number
  names: string[]
}

/**
 * A small on-disk cache of listings (repositories of a registry, tags of a repository) for shell
 * completion: one JSON file per listing under `dir`, named by a hash of what it lists.
 */
export class CompletionCache {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  private path(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
  }

  /** The cached names and whether they are still fresh; undefined when never cached or unreadable. */
  read(key: string): {names: string[]; fresh: boolean} | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.path(key), 'utf8')) as Entry
      if (typeof entry.savedAt !== 'number' || !Array.isArray(entry.names)) return undefined
      return {
        names: entry.names.filter((name): name is string => typeof name === 'string'),
        fresh: this.now() - entry.savedAt < COMPLETION_CACHE_TTL_MS,
      }
    } catch {
      return undefined
    }
  }

  write(key: string, names: string[]): void {
    try {
      mkdirSync(this.dir, {recursive: true, mode: 0o700})
      const path = this.path(key)
      // Written whole then renamed: a completion running meanwhile never reads half a file.
      writeFileSync(`${path}.tmp`, JSON.stringify({savedAt: this.now(), names: names.slice(0, MAX_NAMES)} satisfies Entry), {mode: 0o600})
      renameSync(`${path}.tmp`, path)
    } catch {
      // A cache that cannot be written only makes the next completion ask the registry again.
    }
  }
}
