import {CredentialChain} from './chain.js'
import {dockerConfigCredentials} from './docker-config.js'
import {envCredentials} from './env.js'
import type {CredentialSource} from './types.js'

export interface KeychainOptions {
  /**
   * Credentials the application was given explicitly, asked before all others (reglens: its
   * `--username`/`--password-stdin` flags); `staticCredentials` makes one, named as the application likes.
   */
  explicit?: CredentialSource
  env?: NodeJS.ProcessEnv
  /** The application's own credentials (reglens: its config file), asked after the environment, before Docker's. */
  configured?: CredentialSource
  /** Path of Docker's config.json (default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
  dockerConfigPath?: string
}

/** The lookup order crane/regctl users expect: explicit (flags), environment, reglens config, Docker's config.json. */
export function defaultKeychain(options: KeychainOptions = {}): CredentialChain {
  const env = options.env ?? process.env
  const sources: CredentialSource[] = []
  if (options.explicit) sources.push(options.explicit)
  sources.push(envCredentials(env))
  if (options.configured) sources.push(options.configured)
  sources.push(dockerConfigCredentials({env, ...(options.dockerConfigPath ? {path: options.dockerConfigPath} : {})}))
  return new CredentialChain(sources)
}
