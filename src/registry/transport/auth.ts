import type {ExitCodeName} from '../../errors.js'

/** What a request needs permission for, in the distribution token spec's terms. */
export interface Scope {
  type: 'repository' | 'registry'
  /** Repository path, or `catalog` for the registry scope. */
  name: string
  actions: string[]
}

export function repositoryScope(repository: string, ...actions: string[]): Scope {
  return {type: 'repository', name: repository, actions: actions.length > 0 ? actions : ['pull']}
}

export const CATALOG_SCOPE: Scope = {type: 'registry', name: 'catalog', actions: ['*']}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`
}

/**
 * The auth layer of the transport: gives the headers a request needs, and learns from a 401
 * challenge. The client retries a request once when `challenge` answers true.
 */
export interface Authenticator {
  authorize(scopes: Scope[]): Promise<Record<string, string>>
  challenge(wwwAuthenticate: string | undefined, scopes: Scope[]): Promise<boolean>
  /** Optional: why a request still failed with 401/403 (which credentials, missing scope), for its error line. */
  explainFailure?(status: number, wwwAuthenticate: string | undefined): Promise<AuthFailure | undefined>
  /** Optional: frees what the authenticator holds (its token-request connections). */
  close?(): Promise<void>
}

/** How an auth failure should be reported: its exit code kind and a note naming the credential source (never the secret). */
export interface AuthFailure {
  kind: ExitCodeName
  note: string
}

/** For registries that need no credentials: never has anything to add. */
export const anonymous: Authenticator = {
  async authorize() {
    return {}
  },
  async challenge() {
    return false
  },
}
