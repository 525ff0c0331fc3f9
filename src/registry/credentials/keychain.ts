import {CredentialChain} from './chain.js'
import {dockerConfigCredentials} from './docker-config.js'
import {envCredentials} from './env.js'
import {staticCredentials} from './static.js'
import type {CredentialSource} from './types.js'

export const FLAGS_SOURCE = '--username/--password-stdin'

export interface KeychainOptions {
  /** Credentials given on the command line; the password may be read lazily (stdin). */
  flags?: {username: string; password: () => Promise<string>}
  env?: NodeJS.ProcessEnv
  /** The application's own credentials (reglens: its config file), asked after the environment, before Docker's. */
  configured?: CredentialSource
  /** Path of Docker's config.json (default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
  dockerConfigPath?: string
}

/** The lookup order crane/regctl users expect: flags, environment, reglens config, Docker's config.json. */
export function defaultKeychain(options: KeychainOptions = {}): CredentialChain {
  const env = options.env ?? process.env
  const sources: CredentialSource[] = []
  const flags = options.flags
  if (flags) sources.push(staticCredentials(FLAGS_SOURCE, async () => ({username: flags.username, password: await flags.password()})))
  sources.push(envCredentials(env))
  if (options.configured) sources.push(options.configured)
  sources.push(dockerConfigCredentials({env, ...(options.dockerConfigPath ? {path: options.dockerConfigPath} : {})}))
  return new CredentialChain(sources)
}
