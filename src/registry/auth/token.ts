import type {Dispatcher} from 'undici'

import {DEFAULT_TOKEN_LIFETIME_S, type IssuedToken} from './token-cache.js'
import {HINTS} from '../hints.js'
import {ReglensError, RegistryError} from '../../errors.js'
import {describeCredential, type Credential} from '../credentials/types.js'
import {formatScope, type Scope} from '../transport/auth.js'
import {discard, readText, send} from '../transport/http.js'
import {type LogSink, redactUrl} from '../transport/log.js'

export interface TokenRequest {
  /** Registry host, for messages. */
  host: string
  realm: string
  service?: string
  scopes: Scope[]
  credential?: Credential
}

function basic(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`
}

function realmUrl(req: TokenRequest): URL {
  let url: URL
  try {
    url = new URL(req.realm)
  } catch {
    throw new RegistryError(`${req.host} announced an invalid token realm`, 'badResponse')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RegistryError(`${req.host} announced a token realm that is not http(s)`, 'badResponse')
  return url
}

/** Validates the token response (untrusted): `token` or `access_token`, optional `expires_in`. */
export function parseTokenResponse(text: string, host: string): IssuedToken {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new RegistryError(`the token server of ${host} sent malformed JSON`, 'badResponse')
  }
  const body = (data ?? {}) as Record<string, unknown>
  const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token
  if (typeof token !== 'string' || token === '')
    throw new RegistryError(`the token server of ${host} answered without a token`, 'badResponse')
  const expiresIn =
    typeof body.expires_in === 'number' && Number.isFinite(body.expires_in) && body.expires_in > 0
      ? body.expires_in
      : DEFAULT_TOKEN_LIFETIME_S
  return {token, expiresIn}
}

/**
 * Asks a token realm for a bearer token (distribution token spec). GET with Basic credentials (or
 * anonymously); the OAuth2 POST form when an identity token is known, or when the realm refuses GET.
 * Neither the credentials nor the token ever reach the log.
 */
export async function requestToken(dispatcher: Dispatcher, req: TokenRequest, log?: LogSink): Promise<IssuedToken> {
  const url = realmUrl(req)
  const credential = req.credential
  const subject = {host: url.host, action: 'get a token'}
  const scopeText = req.scopes.map(formatScope)
  const post = async (form: Record<string, string>) => {
    const body = new URLSearchParams({...form, ...(req.service ? {service: req.service} : {}), client_id: 'reglens'})
    if (scopeText.length > 0) body.set('scope', scopeText.join(' '))
    return send(
      dispatcher,
      {
        method: 'POST',
        url: url.href,
        headers: {'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'reglens'},
        body: body.toString(),
      },
      subject,
    )
  }
  let response
  if (credential?.identityToken) {
    response = await post({grant_type: 'refresh_token', refresh_token: credential.identityToken})
  } else {
    const get = new URL(url)
    if (req.service) get.searchParams.set('service', req.service)
    for (const scope of scopeText) get.searchParams.append('scope', scope)
    const withPassword = credential?.username !== undefined && credential.password !== undefined
    response = await send(
      dispatcher,
      {method: 'GET', url: get.href, headers: {'user-agent': 'reglens', ...(withPassword ? {authorization: basic(credential)} : {})}},
      subject,
    )
    if ((response.statusCode === 404 || response.statusCode === 405) && withPassword) {
      await discard(response)
      response = await post({grant_type: 'password', username: credential.username!, password: credential.password!})
    }
  }
  log?.(`token ${response.statusCode} from ${redactUrl(url.origin + url.pathname)} for ${scopeText.join(' ') || '(no scope)'}`)
  const text = await readText(response, 1024 * 1024).catch(() => '')
  if (response.statusCode >= 200 && response.statusCode < 300) return parseTokenResponse(text, req.host)
  throw tokenError(response.statusCode, req, url)
}

function tokenError(status: number, req: TokenRequest, url: URL): ReglensError {
  const who = describeCredential(req.credential)
  if (status === 401) {
    const what = req.credential ? 'were rejected' : `were found; ${HINTS.noCredentials}`
    return new RegistryError(`authentication failed for ${req.host}: ${who} ${what} [token server ${url.host}: HTTP 401]`, 'unauthorized', {
      status,
      ...(req.credential ? {} : {hint: 'noCredentials' as const}),
    })
  }
  if (status === 403)
    return new RegistryError(
      `access denied to ${req.host}: the token server refused ${who} for ${req.scopes.map(formatScope).join(' ')} [HTTP 403]`,
      'denied',
      {status},
    )
  if (status === 429)
    return new RegistryError(`the token server of ${req.host} is rate limiting requests [HTTP 429]`, 'rateLimited', {status})
  if (status >= 500) return new RegistryError(`the token server of ${req.host} failed [HTTP ${status}]`, 'serverError', {status})
  return new RegistryError(`the token server of ${req.host} rejected the token request [HTTP ${status}]`, 'badResponse', {status})
}
