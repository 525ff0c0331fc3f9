import {createSign, randomUUID, X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'

/**
 * A minimal token server (distribution token spec) for tests: checks Basic credentials or an OAuth2
 * form, grants each requested scope per a policy, and issues RS256 JWTs whose `x5c` header carries
 * the signing certificate, which the registry trusts through `auth.token.rootcertbundle`.
 */

export interface Access {
  type: string
  name: string
  actions: string[]
}

export interface TokenServerOptions {
  certPath: string
  keyPath: string
  service: string
  issuer: string
  /** user → password. */
  users: Record<string, string>
  /** refresh token → user (Docker's identity tokens). */
  refreshTokens?: Record<string, string>
  /** Actions granted to `user` (undefined = anonymous) on a requested scope. */
  grant(user: string | undefined, scope: Access): string[]
  /** Answer 405 to GET, like realms that only speak the OAuth2 POST form. */
  postOnly?: boolean
  expiresIn?: number
  /** Sign the next N tokens with a garbage signature (the registry answers `invalid_token`). */
  corruptNext?: number
  /** Loopback address to listen on (default 127.0.0.1). */
  address?: string
}

export interface TokenRequestRecord {
  method: string
  user?: string
  scopes: string[]
  grantType?: string
  status: number
}

export interface RunningTokenServer {
  url: string
  realm: string
  requests: TokenRequestRecord[]
  /** Corrupt the signature of the next `count` tokens issued. */
  corruptNext(count: number): void
  stop(): Promise<void>
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

function parseScope(text: string): Access | undefined {
  const first = text.indexOf(':')
  const last = text.lastIndexOf(':')
  if (first === -1 || last === first) return undefined
  return {type: text.slice(0, first), name: text.slice(first + 1, last), actions: text.slice(last + 1).split(',')}
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const certPem = readFileSync(options.certPath, 'utf8')
  const keyPem = readFileSync(options.keyPath, 'utf8')
  const x5c = [new X509Certificate(certPem).raw.toString('base64')]
  const requests: TokenRequestRecord[] = []
  let corrupt = options.corruptNext ?? 0

  const sign = (user: string | undefined, access: Access[]) => {
    const now = Math.floor(Date.now() / 1000)
    const header = b64url(JSON.stringify({typ: 'JWT', alg: 'RS256', x5c}))
    const claims = b64url(
      JSON.stringify({
        iss: options.issuer,
        sub: user ?? '',
        aud: options.service,
        exp: now + (options.expiresIn ?? 300),
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access,
      }),
    )
    const signer = createSign('RSA-SHA256')
    signer.update(`${header}.${claims}`)
    const signature = corrupt-- > 0 ? b64url(Buffer.alloc(256, 7)) : b64url(signer.sign(keyPem))
    return `${header}.${claims}.${signature}`
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let user: string | undefined
    let scopes: string[] = []
    let grantType: string | undefined
    let ok = true
    if (req.method === 'GET' && !options.postOnly) {
      scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean)
      const auth = req.headers.authorization
      if (auth?.startsWith('Basic ')) {
        const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        user = decoded.slice(0, colon)
        ok = options.users[user] !== undefined && options.users[user] === decoded.slice(colon + 1)
      }
    } else if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req))
      grantType = form.get('grant_type') ?? undefined
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
      if (grantType === 'password') {
        user = form.get('username') ?? ''
        ok = options.users[user] !== undefined && options.users[user] === form.get('password')
      } else if (grantType === 'refresh_token') {
        user = options.refreshTokens?.[form.get('refresh_token') ?? '']
        ok = user !== undefined
      } else {
        ok = false
      }
    } else {
      res.writeHead(405).end()
      requests.push({method: req.method ?? '?', scopes, status: 405})
      return
    }
    const status = ok ? 200 : 401
    requests.push({method: req.method ?? '?', ...(user === undefined ? {} : {user}), scopes, ...(grantType ? {grantType} : {}), status})
    if (!ok) {
      res.writeHead(401, {'content-type': 'application/json'}).end(JSON.stringify({details: 'invalid credentials'}))
      return
    }
    const access = scopes
      .map(parseScope)
      .filter((scope): scope is Access => scope !== undefined)
      .map((scope) => ({...scope, actions: scope.actions.filter((action) => options.grant(user, scope).includes(action))}))
      .filter((scope) => scope.actions.length > 0)
    const token = sign(user, access)
    const body =
      req.method === 'POST' ? {access_token: token, expires_in: options.expiresIn ?? 300} : {token, expires_in: options.expiresIn ?? 300}
    res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, options.address ?? '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('token server has no address')
  const url = `http://${options.address ?? '127.0.0.1'}:${address.port}`
  return {
    url,
    corruptNext: (count: number) => {
      corrupt = count
    },
    realm: `${url}/token`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
