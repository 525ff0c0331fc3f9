import type {RegistryEndpoint} from '../endpoint.js'

/** Credentials for one registry, and where they came from (named in error messages; never the secret). */
export interface Credential {
  username?: string
  password?: string
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token realm. */
  identityToken?: string
  /** Human description of the source, e.g. `REGLENS_USERNAME/REGLENS_PASSWORD`. */
  source: string
}

/** One place credentials may come from; answers undefined when it has none for the registry. */
export interface CredentialSource {
  readonly name: string
  lookup(endpoint: RegistryEndpoint): Promise<Credential | undefined>
}

/** `source (user NAME)`: how a credential is named in messages. */
export function describeCredential(credential: Credential | undefined): string {
  if (!credential) return 'no credentials'
  return credential.username && credential.username !== '<token>'
    ? `credentials from ${credential.source} (user ${credential.username})`
    : `credentials from ${credential.source}`
}
