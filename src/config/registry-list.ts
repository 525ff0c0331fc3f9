import type {Config, RegistryEntry} from './config.js'

/** A configured registry as `registry list` shows it: how it authenticates and trusts, never a secret. */
export interface ListedRegistry {
  name: string
  url: string
  default: boolean
  username: string | null
  /** Where the password comes from, without the secret. */
  password: {from: 'env' | 'file' | 'plain'; name?: string} | null
  insecure: boolean
  caCert: string | null
  clientCert: string | null
  clientKey: string | null
}

function passwordSource(entry: RegistryEntry): ListedRegistry['password'] {
  if (entry.password_env) return {from: 'env', name: entry.password_env}
  if (entry.password_file) return {from: 'file', name: entry.password_file}
  if (entry.password !== undefined) return {from: 'plain'}
  return null
}

/** The config's registries, in the file's order. */
export function listRegistries(config: Config): ListedRegistry[] {
  return Object.entries(config.registries).map(([name, entry]) => ({
    name,
    url: entry.url,
    default: config.default === name,
    username: entry.username ?? null,
    password: passwordSource(entry),
    insecure: entry.insecure ?? false,
    caCert: entry.ca_cert ?? null,
    clientCert: entry.client_cert ?? null,
    clientKey: entry.client_key ?? null,
  }))
}
