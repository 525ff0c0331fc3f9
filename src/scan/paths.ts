import {homedir} from 'node:os'
import {join} from 'node:path'

/** `$XDG_CACHE_HOME/reglens` (default `~/.cache/reglens`): the OSV database and scan caches live here. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'reglens')
}

export function osvDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'osv')
}
