import {readFileSync} from 'node:fs'

import type {Config, RegistryEntry} from './config.js'
import {ConfigError} from '../errors.js'
import type {Credential, CredentialSource} from '../registry/credentials/types.js'
import {endpointFromUrl, type RegistryEndpoint} from '../registry/endpoint.js'

/** The config entry for an endpoint: the one it was resolved from, else the first whose URL has its host. */
export function entryFor(config: Config, endpoint: RegistryEndpoint): [string, RegistryEntry] | undefined {
  if (endpoint.name && config.registries[endpoint.name]) return [endpoint.name, config.registries[endpoint.name]]
  return Object.entries(config.registries).find(([, entry]) => {
    try {
      return endpointFromUrl(entry.url).host === endpoint.host
    } catch {
      return false
    }
  })
}

/** The entry's password; a configured source that yields nothing is a config error naming the entry and key. */
function readPassword(name: string, entry: RegistryEntry, config: Config, env: NodeJS.ProcessEnv): string | undefined {
  const at = `config${config.path ? ` ${config.path}` : ''}: registries.${name}`
  if (entry.password_env) {
    const value = env[entry.password_env]
    if (!value) throw new ConfigError(`${at}.password_env: environment variable ${entry.password_env} is not set`)
    return value
  }
  if (entry.password_file) {
    try {
      return readFileSync(entry.password_file, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new ConfigError(
        `${at}.password_file: cannot read ${entry.password_file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      )
    }
  }
  return entry.password
}

/**
 * `username` + `password_env` / `password_file` / `password` of the registry's config entry: a source the
 * CLI hands to the keychain (`defaultKeychain({configured})`), so the library never reads the app's config.
 */
export function configCredentials(config: Config, env: NodeJS.ProcessEnv = process.env): CredentialSource {
  return {
    name: 'config file',
    async lookup(endpoint): Promise<Credential | undefined> {
      const found = entryFor(config, endpoint)
      if (!found || found[1].username === undefined) return undefined
      const [name, entry] = found
      const password = readPassword(name, entry, config, env)
      const where = config.path ? ` in ${config.path}` : ''
      return {username: entry.username, ...(password === undefined ? {} : {password}), source: `config registry "${name}"${where}`}
    },
  }
}
