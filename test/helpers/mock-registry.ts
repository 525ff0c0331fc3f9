import {MockAgent} from 'undici'

import {type ClientOptions, RegistryClient} from '../../src/registry/client.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'

/**
 * A registry client over undici's MockAgent that refuses real connections, for faults a real
 * registry will not produce. Intercepts go on `agent.get(origin)`.
 */
export function mockRegistryClient(
  origin: string,
  options: Omit<ClientOptions, 'dispatcher'> = {},
): {agent: MockAgent; client: RegistryClient} {
  const agent = new MockAgent()
  agent.disableNetConnect()
  return {agent, client: new RegistryClient(endpointFromUrl(origin), {...options, dispatcher: agent})}
}
