/** A bearer token and how long the server said it lives. */
export interface IssuedToken {
  token: string
  /** Seconds; the token spec's default is 60 when the server gives none. */
  expiresIn: number
}

export const DEFAULT_TOKEN_LIFETIME_S = 60

/**
 * Bearer tokens per key (realm, service, scope set) until shortly before they expire. Concurrent
 * requests for one key share a single in-flight token request, so a burst of manifest fetches
 * costs one token round trip, not one each.
 */
export class TokenCache {
  private readonly tokens = new Map<string, {token: string; expiresAt: number}>()
  private readonly pending = new Map<string, Promise<string>>()

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.tokens.get(key)
    if (cached && cached.expiresAt > this.now()) return cached.token
    const inFlight = this.pending.get(key)
    if (inFlight) return inFlight
    const request = issue()
      .then((issued) => {
        this.tokens.set(key, {token: issued.token, expiresAt: this.now() + usableMs(issued.expiresIn)})
        return issued.token
      })
      .finally(() => this.pending.delete(key))
    this.pending.set(key, request)
    return request
  }

  /** Forgets a token the registry rejected. */
  invalidate(key: string): void {
    this.tokens.delete(key)
  }
}

/** Renews a little early (10 %, at most 30 s) so a token does not expire between check and use. */
function usableMs(expiresIn: number): number {
  const seconds = expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_LIFETIME_S
  return (seconds - Math.min(30, seconds / 10)) * 1000
}
