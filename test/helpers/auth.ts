import {ChallengeAuthenticator} from '../../src/registry/auth/authenticator.js'
import {RegistryClient} from '../../src/registry/client.js'
import {staticCredentials} from '../../src/registry/credentials/static.js'
import {endpointFromUrl, type RegistryEndpoint} from '../../src/registry/endpoint.js'

/** A library client for an auth-protected test registry, as a library user would build one. */
export function authedClient(
  url: string,
  user?: {username: string; password: string},
  extra: Partial<RegistryEndpoint> = {},
): {client: RegistryClient; authenticator: ChallengeAuthenticator} {
  const endpoint = {...endpointFromUrl(url), ...extra}
  const authenticator = new ChallengeAuthenticator({endpoint, ...(user ? {credentials: staticCredentials('test', user)} : {})})
  return {client: new RegistryClient(endpoint, {authenticator}), authenticator}
}
