import type {Credential, CredentialSource} from './types.js'
import type {RegistryEndpoint} from '../endpoint.js'

/** Asks sources in order; the first that has credentials for the registry wins. */
export class CredentialChain implements CredentialSource {
  readonly name: string

  constructor(readonly sources: CredentialSource[]) {
    this.name = sources.map((source) => source.name).join(', ')
  }

  async lookup(endpoint: RegistryEndpoint): Promise<Credential | undefined> {
    for (const source of this.sources) {
      const found = await source.lookup(endpoint)
      if (found) return found
    }
    return undefined
  }
}
