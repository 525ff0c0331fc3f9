import {type RegistryServerOptions, type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {RegistryClient} from '../../src/registry/client.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'

/**
 * Starts a real registry for the enclosing mocha suite (before/after hooks) and gives a client to
 * seed it. Fails, never skips, when the registry binary is missing (the error names the install command).
 */
export function useRegistry(options: RegistryServerOptions = {}): {readonly registry: RunningRegistry; readonly client: RegistryClient} {
  let registry: RunningRegistry | undefined
  let client: RegistryClient | undefined
  before(async function () {
    this.timeout(30_000)
    registry = await startRegistry(options)
    client = new RegistryClient(endpointFromUrl(registry.url))
  })
  after(async () => {
    await client?.close()
    await registry?.stop()
  })
  return {
    get registry() {
      if (!registry) throw new Error('registry not started')
      return registry
    },
    get client() {
      if (!client) throw new Error('registry not started')
      return client
    },
  }
}
