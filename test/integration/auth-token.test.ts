import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {ExitCode, RegistryError} from '../../src/errors.js'
import {parseRepository} from '../../src/registry/reference.js'
import {repositoryScope} from '../../src/registry/transport/auth.js'
import {authedClient} from '../helpers/auth.js'
import {runCli} from '../helpers/cli.js'
import {makePki, type TestPki} from '../helpers/pki.js'
import {type RunningTokenServer, startTokenServer, type TokenServerOptions} from '../helpers/token-server.js'

const SERVICE = 'reglens-test-registry'
const ISSUER = 'reglens-test-issuer'
const USERS = {reader: 'reader-pw', admin: 'admin-pw'}
const ADMIN = {username: 'admin', password: USERS.admin}
const READER = {username: 'reader', password: USERS.reader}

/** reader: pull anywhere; admin: everything incl. the catalog; anonymous: pull under public/ only. */
const grant: TokenServerOptions['grant'] = (user, scope) => {
  if (user === 'admin') return ['pull', 'push', 'delete', '*']
  if (scope.type !== 'repository') return []
  if (user === 'reader') return ['pull']
  return scope.name.startsWith('public/') ? ['pull'] : []
}

async function tokenRegistry(
  pki: TestPki,
  options: Partial<TokenServerOptions> = {},
): Promise<{tokens: RunningTokenServer; registry: RunningRegistry}> {
  const tokens = await startTokenServer({
    certPath: pki.tokenCert,
    keyPath: pki.tokenKey,
    service: SERVICE,
    issuer: ISSUER,
    users: USERS,
    refreshTokens: {'identity-of-admin': 'admin'},
    grant,
    ...options,
  })
  const registry = await startRegistry({
    config: {auth: {token: {realm: tokens.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: pki.tokenCert}}},
  })
  return {tokens, registry}
}

describe('bearer token auth against a real registry and token server', function () {
  let pki: TestPki
  let tokens: RunningTokenServer
  let registry: RunningRegistry
  const tags = ['1.0.0', '1.1.0', 'latest']

  before(async function () {
    this.timeout(60_000)
    pki = makePki()
    ;({tokens, registry} = await tokenRegistry(pki))
    const {client} = authedClient(registry.url, ADMIN)
    const image = await buildImage({layers: [{'a.txt': 'token auth'}]})
    for (const tag of tags) await pushImage(client, parseRepository(`${registry.host}/team/app`), image, tag)
    await pushImage(client, parseRepository(`${registry.host}/public/hello`), image, 'latest')
    await client.close()
  })
  after(async () => {
    await registry?.stop()
    await tokens?.stop()
    pki?.cleanup()
  })

  const tokenRequestsDuring = async <T>(action: () => Promise<T>): Promise<{result: T; count: number}> => {
    const before = tokens.requests.length
    const result = await action()
    return {result, count: tokens.requests.length - before}
  }

  it('tags list as a read-only user works with exactly one token request', async () => {
    const {result, count} = await tokenRequestsDuring(() =>
      runCli(['tags', 'list', `${registry.host}/team/app`, '--json'], {env: {REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: USERS.reader}}),
    )
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).tags.map((t: {name: string}) => t.name)).to.deep.equal(tags)
    expect(count).to.equal(1)
    expect(tokens.requests.at(-1)).to.include({user: 'reader', status: 200})
    expect(tokens.requests.at(-1)?.scopes).to.deep.equal(['repository:team/app:pull'])
  })

  it('repos list as admin asks for registry:catalog:* once', async () => {
    const {result, count} = await tokenRequestsDuring(() =>
      runCli(['repos', 'list', '-r', registry.host, '--json'], {env: {REGLENS_USERNAME: 'admin', REGLENS_PASSWORD: USERS.admin}}),
    )
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).repositories.map((r: {name: string}) => r.name)).to.deep.equal(['public/hello', 'team/app'])
    expect(count).to.equal(1)
    expect(tokens.requests.at(-1)?.scopes).to.deep.equal(['registry:catalog:*'])
  })

  it('the catalog is refused to a read-only user with the denied exit code', async () => {
    const result = await runCli(['repos', 'list', '-r', registry.host], {env: {REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: USERS.reader}})
    expect(result.code).to.equal(ExitCode.denied)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('restricted')
  })

  it('anonymous pulls work under public/ (like Docker Hub public images) and are refused elsewhere with exit 6', async () => {
    const open = await runCli(['tags', 'list', `${registry.host}/public/hello`, '--json'], {
      env: {DOCKER_CONFIG: '/nonexistent-docker-config'},
    })
    expect(open.code, open.stderr).to.equal(0)
    expect(JSON.parse(open.stdout).tags).to.deep.equal([{name: 'latest'}])
    const closed = await runCli(['tags', 'list', `${registry.host}/team/app`], {env: {DOCKER_CONFIG: '/nonexistent-docker-config'}})
    expect(closed.code).to.equal(ExitCode.unauthorized)
    expect(closed.stderr).to.match(/authentication failed for .*team\/app.*no credentials found/)
  })

  it('a wrong password is one line with exit 6 naming the registry and the credential source, never the secret', async () => {
    const result = await runCli(['tags', 'list', `${registry.host}/team/app`, '--username', 'reader', '--password-stdin'], {
      input: 'not-the-password\n',
    })
    expect(result.code).to.equal(ExitCode.unauthorized)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain(`authentication failed for ${registry.host}`)
    expect(result.stderr).to.contain('--username/--password-stdin (user reader) were rejected')
    expect(result.stderr).to.not.contain('not-the-password')
  })

  it('a read-only user trying to delete gets the denied error (exit 7), after at most one wider re-ask', async () => {
    const {client, authenticator} = authedClient(registry.url, READER)
    try {
      const repo = 'team/app'
      const {count, result} = await tokenRequestsDuring(async () =>
        client
          .fetch({
            method: 'DELETE',
            path: `/v2/${repo}/manifests/sha256:${'0'.repeat(64)}`,
            scopes: [repositoryScope(repo, 'pull', 'delete')],
            subject: {action: 'delete manifest', repository: repo},
          })
          .then(() => undefined)
          .catch((error: unknown) => error),
      )
      expect(result).to.be.instanceOf(RegistryError)
      const error = result as RegistryError
      expect(error.kind).to.equal('denied')
      expect(error.exitCode).to.equal(ExitCode.denied)
      expect(error.message).to.contain(`access denied to ${registry.host}/team/app (delete manifest)`)
      expect(error.message).to.contain('credentials from test (user reader) are not allowed')
      expect(count).to.be.at.most(2)
      expect(authenticator.tokenRequests).to.equal(count)
    } finally {
      await client.close()
    }
  })

  it('concurrent requests share one token, and later requests send it pre-emptively (no 401 round trip)', async () => {
    const {client, authenticator} = authedClient(registry.url, READER)
    try {
      const list = () =>
        client.json({
          method: 'GET',
          path: '/v2/team/app/tags/list',
          scopes: [repositoryScope('team/app', 'pull')],
          subject: {action: 'list tags'},
        })
      const {count} = await tokenRequestsDuring(() => Promise.all(Array.from({length: 20}, list)))
      expect(count).to.equal(1)
      expect(authenticator.tokenRequests).to.equal(1)
      const sent = client.requests.total
      await Promise.all(Array.from({length: 20}, list))
      expect(client.requests.total - sent).to.equal(20)
      expect(authenticator.scheme).to.deep.equal({type: 'bearer', realm: tokens.realm, service: SERVICE})
    } finally {
      await client.close()
    }
  })

  it('honours a challenge naming a wider scope: insufficient_scope is re-asked once with the union, then succeeds', async () => {
    const {client, authenticator} = authedClient(registry.url, ADMIN)
    try {
      const repo = 'team/app'
      await client.json({
        method: 'GET',
        path: `/v2/${repo}/tags/list`,
        scopes: [repositoryScope(repo, 'pull')],
        subject: {action: 'list tags'},
      })
      // A caller that under-declares its scope: the token is for pull, the registry asks for delete.
      const {count, result} = await tokenRequestsDuring(() =>
        client.fetch({
          method: 'DELETE',
          path: `/v2/${repo}/manifests/sha256:${'1'.repeat(64)}`,
          scopes: [repositoryScope(repo, 'pull')],
          subject: {action: 'delete manifest'},
          accept: (s) => s === 404,
        }),
      )
      expect(result.statusCode).to.equal(404)
      expect(count).to.equal(1)
      expect(tokens.requests.at(-1)?.scopes).to.deep.equal([`repository:${repo}:delete,pull`])
      expect(authenticator.tokenRequests).to.equal(2)
    } finally {
      await client.close()
    }
  })

  it('a token the registry calls invalid_token is dropped and asked for once more', async () => {
    const {client, authenticator} = authedClient(registry.url, READER)
    const list = (repo: string) =>
      client.json({method: 'GET', path: `/v2/${repo}/tags/list`, scopes: [repositoryScope(repo, 'pull')], subject: {action: 'list tags'}})
    try {
      await list('public/hello') // learns the scheme: later requests send tokens pre-emptively
      tokens.corruptNext(1)
      const {data} = await list('team/app')
      expect((data as {tags: string[]}).tags).to.have.members(tags)
      expect(authenticator.tokenRequests).to.equal(3)
      expect(tokens.requests.slice(-2).map((r) => r.scopes)).to.deep.equal([['repository:team/app:pull'], ['repository:team/app:pull']])
    } finally {
      tokens.corruptNext(0)
      await client.close()
    }
  })

  it('exchanges a Docker config identitytoken with the OAuth2 refresh_token form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reglens-docker-'))
    try {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({auths: {[registry.host]: {auth: Buffer.from('<token>:').toString('base64'), identitytoken: 'identity-of-admin'}}}),
      )
      const {result, count} = await tokenRequestsDuring(() =>
        runCli(['repos', 'list', '-r', registry.host, '--json'], {env: {DOCKER_CONFIG: dir}}),
      )
      expect(result.code, result.stderr).to.equal(0)
      expect(count).to.equal(1)
      expect(tokens.requests.at(-1)).to.include({method: 'POST', grantType: 'refresh_token', user: 'admin'})
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('--verbose logs the token request but never the password, the Authorization header or the token', async () => {
    const result = await runCli(['tags', 'list', `${registry.host}/team/app`, '--verbose'], {
      env: {REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: USERS.reader},
    })
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain('token 200 from')
    expect(result.stderr).to.not.contain(USERS.reader)
    expect(result.stderr).to.not.match(/authorization|bearer|eyJ/i)
  })

  describe('a realm that only speaks the OAuth2 POST form', () => {
    let postOnly: {tokens: RunningTokenServer; registry: RunningRegistry}
    before(async function () {
      this.timeout(30_000)
      postOnly = await tokenRegistry(pki, {postOnly: true})
    })
    after(async () => {
      await postOnly?.registry.stop()
      await postOnly?.tokens.stop()
    })

    it('falls back to grant_type=password when GET is refused', async () => {
      const result = await runCli(['repos', 'list', '-r', postOnly.registry.host, '--json'], {
        env: {REGLENS_USERNAME: 'admin', REGLENS_PASSWORD: USERS.admin},
      })
      expect(result.code, result.stderr).to.equal(0)
      expect(postOnly.tokens.requests.map((r) => `${r.method} ${r.status} ${r.grantType ?? ''}`)).to.deep.equal([
        'GET 405 ',
        'POST 200 password',
      ])
    })
  })
})
