import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {ConfigError, ReglensError} from '../errors.js'
import {endpointFromUrl} from '../registry/endpoint.js'

/** One named registry in the YAML config. */
export interface RegistryEntry {
  url: string
  insecure?: boolean
  ca_cert?: string
  username?: string
  /** Name of an environment variable holding the password. */
  password_env?: string
  /** File whose content (trailing newline stripped) is the password. */
  password_file?: string
  /** Plain-text password: accepted with a warning, never required. */
  password?: string
  /** PEM client certificate and key for mutual TLS. */
  client_cert?: string
  client_key?: string
}

const STRING_KEYS = ['ca_cert', 'username', 'password_env', 'password_file', 'password', 'client_cert', 'client_key'] as const
const ENTRY_KEYS = ['url', 'insecure', ...STRING_KEYS]
const TOP_LEVEL_KEYS = ['default', 'registries', 'timeout']

export interface Config {
  /** Name of the registry used when a command names none. */
  default?: string
  registries: Record<string, RegistryEntry>
  /** Per-try request timeout in seconds (`--timeout` and REGLENS_TIMEOUT win over it). */
  timeout?: number
  /** Where it was read from, for messages; undefined when no file exists. */
  path?: string
  /** Accepted but discouraged settings (a plain-text password), for the CLI to print. */
  warnings?: string[]
}

export const MIN_TIMEOUT_S = 0.1
export const MAX_TIMEOUT_S = 3600

/** A per-try timeout in seconds, as `--timeout`, REGLENS_TIMEOUT and the config's `timeout` take it. */
export function isTimeoutSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= MIN_TIMEOUT_S && value <= MAX_TIMEOUT_S
}

/** `$XDG_CONFIG_HOME/reglens/config.yaml`, falling back to `~/.config/reglens/config.yaml`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'reglens', 'config.yaml')
}

function fail(path: string, reason: string): never {
  throw new ConfigError(`invalid config ${path}: ${reason}`)
}

/** A misspelt key (`passwrd:`) would otherwise be ignored and surface later as anonymous requests. */
function rejectUnknownKeys(path: string, where: string, doc: Record<string, unknown>, known: string[]): void {
  const unknown = Object.keys(doc).find((key) => !known.includes(key))
  if (unknown !== undefined) fail(path, `${where}unknown key "${unknown}" (expected one of ${known.join(', ')})`)
}

function validateEntry(path: string, name: string, raw: unknown): RegistryEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(path, `registries.${name} must be a mapping`)
  const entry = raw as Record<string, unknown>
  rejectUnknownKeys(path, `registries.${name}: `, entry, ENTRY_KEYS)
  if (typeof entry.url !== 'string' || entry.url === '') fail(path, `registries.${name}.url must be a non-empty string`)
  try {
    endpointFromUrl(entry.url)
  } catch (error) {
    // endpointFromUrl speaks of a flag value ("invalid registry …: reason"); here it is the config's fault.
    if (error instanceof ReglensError) fail(path, `registries.${name}.url: ${error.message.replace(/^invalid registry "[^"]*": /, '')}`)
    throw error
  }
  if (entry.insecure !== undefined && typeof entry.insecure !== 'boolean') fail(path, `registries.${name}.insecure must be true or false`)
  const result: RegistryEntry = {url: entry.url, ...(entry.insecure === undefined ? {} : {insecure: entry.insecure as boolean})}
  for (const key of STRING_KEYS) {
    const value = entry[key]
    if (value === undefined) continue
    if (typeof value !== 'string' || value === '') fail(path, `registries.${name}.${key} must be a non-empty string`)
    result[key] = value
  }
  const passwordKeys = (['password_env', 'password_file', 'password'] as const).filter((key) => result[key] !== undefined)
  if (passwordKeys.length > 1) fail(path, `registries.${name}: give only one of ${passwordKeys.join(', ')}`)
  if (passwordKeys.length > 0 && result.username === undefined)
    fail(path, `registries.${name}.${passwordKeys[0]} needs registries.${name}.username`)
  if ((result.client_cert === undefined) !== (result.client_key === undefined))
    fail(path, `registries.${name}: client_cert and client_key go together`)
  return result
}

/** Validates parsed YAML into a Config; every problem is one line naming the key. */
export function validateConfig(raw: unknown, path: string): Config {
  if (raw === null || raw === undefined) return {registries: {}, path}
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(path, 'top level must be a mapping')
  const doc = raw as Record<string, unknown>
  rejectUnknownKeys(path, '', doc, TOP_LEVEL_KEYS)
  const registries: Record<string, RegistryEntry> = {}
  if (doc.registries !== undefined) {
    if (typeof doc.registries !== 'object' || doc.registries === null || Array.isArray(doc.registries))
      fail(path, 'registries must be a mapping of name → settings')
    for (const [name, entry] of Object.entries(doc.registries)) registries[name] = validateEntry(path, name, entry)
  }
  if (doc.default !== undefined && (typeof doc.default !== 'string' || !(doc.default in registries))) {
    fail(path, `default "${String(doc.default)}" is not one of the registries (${Object.keys(registries).join(', ') || 'none'})`)
  }
  if (doc.timeout !== undefined && !isTimeoutSeconds(doc.timeout))
    fail(path, `timeout must be a number of seconds from ${MIN_TIMEOUT_S} to ${MAX_TIMEOUT_S}`)
  const warnings = Object.entries(registries)
    .filter(([, entry]) => entry.password !== undefined)
    .map(([name]) => `${path}: registries.${name}.password is stored in plain text; prefer password_env or password_file`)
  return {
    registries,
    path,
    ...(doc.default === undefined ? {} : {default: doc.default as string}),
    ...(doc.timeout === undefined ? {} : {timeout: doc.timeout as number}),
    ...(warnings.length > 0 ? {warnings} : {}),
  }
}

/** The YAML parser, loaded only when a config file exists (it costs ~35 ms of start-up). */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml')
  return yaml.parse(text)
}

/** yaml's message: a first line ending "at line L, column C:", then a code excerpt. One line of it, without the colon. */
export function yamlProblem(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '')
}

/** The config file's text; undefined when it does not exist, a one-line error when it cannot be read. */
export function readConfigText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

/** Reads the config; a missing default file is an empty config, a missing explicit one an error. */
export function loadConfig(explicitPath?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const path = explicitPath ?? defaultConfigPath(env)
  const text = readConfigText(path)
  if (text === undefined) {
    if (!explicitPath) return {registries: {}}
    throw new ConfigError(`cannot read config ${path}: ENOENT`)
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw new ConfigError(`invalid config ${path}: ${yamlProblem((error as Error).message)}`)
  }
  return validateConfig(raw, path)
}
