import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {type HelperCredential, runCredentialHelper} from './docker-helper.js'
import type {Credential, CredentialSource} from './types.js'
import {ConfigError} from '../../errors.js'
import {canonicalRegistry, DOCKER_HUB, DOCKER_HUB_SERVER} from '../docker-hub.js'

export {DOCKER_HUB_SERVER} from '../docker-hub.js'

interface DockerConfigFile {
  auths?: Record<string, {auth?: string; identitytoken?: string; username?: string; password?: string}>
  credsStore?: string
  credHelpers?: Record<string, string>
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json')
}

/** Reduces a config.json key (`https://ghcr.io`, `ghcr.io/v2/`, `https://index.docker.io/v1/`) to the registry host it names. */
export function hostOfKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase()
  return canonicalRegistry(host)
}

/** The server URL Docker passes to credential helpers for a host. */
export function serverUrlFor(host: string): string {
  return host === DOCKER_HUB ? DOCKER_HUB_SERVER : host
}

function readDockerConfig(path: string): DockerConfigFile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`cannot read Docker config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ConfigError(`Docker config ${path} is not valid JSON`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`Docker config ${path} is not a JSON object`)
  return parsed as DockerConfigFile
}

function fromHelper(found: HelperCredential | undefined, source: string): Credential | undefined {
  if (!found) return undefined
  // Docker stores identity tokens with the username `<token>`.
  if (found.username === '<token>') return {identityToken: found.secret, source}
  return {username: found.username, password: found.secret, source}
}

function fromAuths(config: DockerConfigFile, host: string, path: string): Credential | undefined {
  const match = Object.entries(config.auths ?? {}).find(([key]) => hostOfKey(key) === host)
  if (!match || typeof match[1] !== 'object' || match[1] === null) return undefined
  const [key, entry] = match
  const source = `Docker config ${path} (auths "${key}")`
  let username = typeof entry.username === 'string' ? entry.username : undefined
  let password = typeof entry.password === 'string' ? entry.password : undefined
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon === -1) throw new ConfigError(`Docker config ${path}: auths "${key}".auth is not base64 of user:password`)
    username = decoded.slice(0, colon)
    password = decoded.slice(colon + 1)
  }
  const identityToken = typeof entry.identitytoken === 'string' && entry.identitytoken !== '' ? entry.identitytoken : undefined
  if (identityToken) return {...(username ? {username} : {}), identityToken, source}
  if (username === undefined || password === undefined) return undefined
  return {username, password, source}
}

/**
 * Docker's `config.json`, as the docker CLI reads it: a per-registry `credHelpers` entry first, then
 * the `credsStore`, then the inline `auths` (base64 `auth`, or `identitytoken`).
 */
export function dockerConfigCredentials(
  options: {env?: NodeJS.ProcessEnv; path?: string; helperTimeoutMs?: number} = {},
): CredentialSource {
  const env = options.env ?? process.env
  const path = options.path ?? dockerConfigPath(env)
  let config: DockerConfigFile | undefined | null = null
  return {
    name: 'Docker config.json',
    async lookup(endpoint) {
      if (config === null) config = readDockerConfig(path)
      if (!config) return undefined
      const host = endpoint.host
      const helperOpts = {env, ...(options.helperTimeoutMs ? {timeoutMs: options.helperTimeoutMs} : {})}
      const perHost = Object.entries(config.credHelpers ?? {}).find(([key]) => hostOfKey(key) === host)?.[1]
      if (typeof perHost === 'string' && perHost !== '') {
        return fromHelper(
          await runCredentialHelper(perHost, serverUrlFor(host), helperOpts),
          `docker-credential-${perHost} (credHelpers in ${path})`,
        )
      }
      if (typeof config.credsStore === 'string' && config.credsStore !== '') {
        const stored = fromHelper(
          await runCredentialHelper(config.credsStore, serverUrlFor(host), helperOpts),
          `docker-credential-${config.credsStore} (credsStore in ${path})`,
        )
        if (stored) return stored
      }
      return fromAuths(config, host, path)
    },
  }
}
