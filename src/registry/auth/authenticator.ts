import type {Dispatcher} from 'undici'

import {mergeScopes, parseScopes, scopeKey} from './scopes.js'
import {requestToken} from './token.js'
import {TokenCache} from './token-cache.js'
import {type Challenge, parseWwwAuthenticate} from './www-authenticate.js'
import {describeCredential, type Credential, type CredentialSource} from '../credentials/types.js'
import type {RegistryEndpoint} from '../endpoint.js'
import {HINTS, SETTINGS} from '../hints.js'
import type {AuthFailure, Authenticator, Scope} from '../transport/auth.js'
import {createDispatcher, DEFAULT_TRANSPORT_OPTIONS, type TransportOptions} from '../transport/http.js'
import type {LogSink} from '../transport/log.js'
import {RegistryError} from '../../errors.js'

export interface ChallengeAuthenticatorOptions {
  endpoint: RegistryEndpoint
  /** Where credentials come from (e.g. `defaultKeychain()`); anonymous when absent. Asked once, at the first challenge. */
  credentials?: CredentialSource
  /** For token requests; by default a small pool with the endpoint's TLS settings, closed by `close()`. */
  dispatcher?: Dispatcher
  tokenCache?: TokenCache
  log?: LogSink
  /** Settings of the token-request pool (the per-try timeout), over the defaults. */
  transport?: Partial<TransportOptions>
  /** Receives notices the user should see (an http token realm allowed by `insecure`). */
  warn?: (line: string) => void
}

/** The auth scheme a registry asked for, learnt from its first challenge. */
export type AuthScheme = {type: 'basic'; realm?: string} | {type: 'bearer'; realm: string; service?: string}

/**
 * Challenge-driven auth for one registry, like docker/crane: the first request goes out anonymously;
 * a 401 tells the scheme (Basic, or Bearer with its token realm), which is then remembered so every
 * later request carries credentials pre-emptively. Bearer tokens are cached per scope set and shared
 * by concurrent requests.
 */
export class ChallengeAuthenticator implements Authenticator {
  /** Token requests actually sent (cache misses), for tests and --verbose summaries. */
  tokenRequests = 0
  private current?: AuthScheme
  private credential?: Promise<Credential | undefined>
  private resolved?: Credential
  private ownDispatcher?: Dispatcher
  private readonly cache: TokenCache
  /** Scope sets the registry asked to widen (challenge `scope`, `insufficient_scope`), by the requested set's key. */
  private readonly widened = new Map<string, Scope[]>()
  /** Token keys already re-asked once after a rejection. */
  private readonly reasked = new Set<string>()
  private warnedRealm = false

  constructor(private readonly options: ChallengeAuthenticatorOptions) {
    this.cache = options.tokenCache ?? new TokenCache()
  }

  /** What the registry asked for so far: undefined until its first challenge. */
  get scheme(): AuthScheme | undefined {
    return this.current
  }

  /** The credentials in use (looked up once), if any. */
  credentials(): Promise<Credential | undefined> {
    this.credential ??= (this.options.credentials?.lookup(this.options.endpoint) ?? Promise.resolve(undefined)).then((found) => {
      this.resolved = found
      return found
    })
    return this.credential
  }

  async authorize(scopes: Scope[]): Promise<Record<string, string>> {
    const scheme = this.current
    if (!scheme) return {}
    const credential = await this.credentials()
    if (scheme.type === 'basic') {
      return hasPassword(credential)
        ? {authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`}
        : {}
    }
    return {authorization: `Bearer ${await this.token(scheme, this.scopesFor(scopes))}`}
  }

  async challenge(wwwAuthenticate: string | undefined, scopes: Scope[]): Promise<boolean> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate)
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm)
    if (bearer) return this.bearerChallenge(bearer, scopes)
    const basic = challenges.find((c) => c.scheme === 'basic')
    if (!basic) return false
    this.current = {type: 'basic', ...(basic.params.realm ? {realm: basic.params.realm} : {})}
    // Concurrent first requests all went out anonymously, so each may retry once (the client never retries twice).
    return hasPassword(await this.credentials())
  }

  private bearerChallenge(challenge: Challenge, scopes: Scope[]): boolean {
    this.checkRealm(challenge.params.realm)
    const scheme: AuthScheme = {
      type: 'bearer',
      realm: challenge.params.realm,
      ...(challenge.params.service ? {service: challenge.params.service} : {}),
    }
    this.current = scheme
    const requested = scopeKey(scopes)
    const before = this.scopesFor(scopes)
    const wanted = mergeScopes(before, parseScopes(challenge.params.scope))
    const widen = scopeKey(wanted) !== scopeKey(before)
    if (widen) this.widened.set(requested, wanted)
    switch (challenge.params.error) {
      case 'insufficient_scope':
        // The token lacked something: worth one more try only when the registry named a wider scope.
        return widen
      case 'invalid_token': {
        // Revoked or expired early: drop it and ask once more for this scope set.
        const key = tokenKey(scheme, wanted)
        if (!this.reasked.has(key)) {
          this.reasked.add(key)
          this.cache.invalidate(key)
        }
        return true
      }
      default:
        // No error code (RFC 6750): the request carried no token, e.g. one of a burst sent before the
        // first challenge was answered. Retrying shares the token the first challenge fetches.
        return true
    }
  }

  /**
   * A registry reached over https must not send its credentials (or tokens) through a plain-http
   * realm, as go-containerregistry rules; `insecure` endpoints may, with a warning.
   */
  private checkRealm(realm: string): void {
    const {endpoint} = this.options
    if (!endpoint.url.startsWith('https:') || !/^http:/i.test(realm)) return
    const where = realm.replace(/[?#].*$/, '')
    if (!endpoint.insecure) {
      throw new RegistryError(
        `${endpoint.host} is served over https but names a plain-http token realm (${where}); credentials are not sent there (${HINTS.plainHttpRealm})`,
        'tls',
        {hint: 'plainHttpRealm'},
      )
    }
    if (this.warnedRealm) return
    this.warnedRealm = true
    this.options.warn?.(
      `${SETTINGS.insecure}: ${endpoint.host} uses the plain-http token realm ${where}; credentials and tokens cross the network unencrypted`,
    )
  }

  async explainFailure(status: number, wwwAuthenticate: string | undefined): Promise<AuthFailure | undefined> {
    const credential = this.resolved ?? (this.current ? await this.credentials() : undefined)
    const bearer = parseWwwAuthenticate(wwwAuthenticate).find((c) => c.scheme === 'bearer')
    const who = describeCredential(credential)
    if (!credential) {
      const sources = this.options.credentials?.name
      return {kind: 'unauthorized', note: `no credentials found${sources ? ` (looked in: ${sources})` : ''}`}
    }
    if (bearer?.params.error === 'insufficient_scope' || status === 403) {
      const scope = bearer?.params.scope ? ` (needs ${bearer.params.scope})` : ''
      return {kind: 'denied', note: `${who} are not allowed to do this${scope}`}
    }
    return {kind: 'unauthorized', note: `${who} were rejected`}
  }

  async close(): Promise<void> {
    await this.ownDispatcher?.close()
  }

  private scopesFor(scopes: Scope[]): Scope[] {
    return this.widened.get(scopeKey(scopes)) ?? mergeScopes(scopes)
  }

  private token(scheme: AuthScheme & {type: 'bearer'}, scopes: Scope[]): Promise<string> {
    return this.cache.get(tokenKey(scheme, scopes), async () => {
      this.tokenRequests++
      const credential = await this.credentials()
      const req = {
        host: this.options.endpoint.host,
        realm: scheme.realm,
        scopes,
        ...(scheme.service ? {service: scheme.service} : {}),
        ...(credential ? {credential} : {}),
      }
      return requestToken(this.dispatcher(), req, this.options.log)
    })
  }

  private dispatcher(): Dispatcher {
    if (this.options.dispatcher) return this.options.dispatcher
    this.ownDispatcher ??= createDispatcher(this.options.endpoint, {
      ...DEFAULT_TRANSPORT_OPTIONS,
      ...this.options.transport,
      connections: 2,
    })
    return this.ownDispatcher
  }
}

function hasPassword(credential: Credential | undefined): credential is Credential & {username: string; password: string} {
  return credential?.username !== undefined && credential.password !== undefined
}

function tokenKey(scheme: {realm: string; service?: string}, scopes: Scope[]): string {
  return `${scheme.realm}\n${scheme.service ?? ''}\n${scopeKey(scopes)}`
}
