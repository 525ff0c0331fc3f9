import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {validateConfig} from '../../src/config/config.js'
import {CredentialChain} from '../../src/registry/credentials/chain.js'
import {configCredentials} from '../../src/config/credentials.js'
import {dockerConfigCredentials, hostOfKey, serverUrlFor} from '../../src/registry/credentials/docker-config.js'
import {envCredentials} from '../../src/registry/credentials/env.js'
import {flagCredentials, FLAGS_SOURCE} from '../../src/cli/flag-credentials.js'
import {defaultKeychain} from '../../src/registry/credentials/keychain.js'
import {staticCredentials} from '../../src/registry/credentials/static.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('credential sources', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reglens-creds-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const dockerConfig = (content: unknown) => {
    const path = join(dir, 'config.json')
    writeFileSync(path, JSON.stringify(content))
    return path
  }

  it('reduces Docker config keys to hosts: scheme and path dropped, every Docker Hub alias is docker.io', () => {
    expect(hostOfKey('https://index.docker.io/v1/')).to.equal('docker.io')
    expect(hostOfKey('registry-1.docker.io')).to.equal('docker.io')
    expect(hostOfKey('https://ghcr.io')).to.equal('ghcr.io')
    expect(hostOfKey('http://localhost:5000/v2/')).to.equal('localhost:5000')
    expect(hostOfKey('Registry.Example.com')).to.equal('registry.example.com')
    expect(serverUrlFor('docker.io')).to.equal('https://index.docker.io/v1/')
    expect(serverUrlFor('ghcr.io')).to.equal('ghcr.io')
  })

  it("matches docker.io to Docker Hub's https://index.docker.io/v1/ auths key and decodes the base64 auth", async () => {
    const path = dockerConfig({
      auths: {'https://index.docker.io/v1/': {auth: b64('hubuser:hub:pass')}, 'https://ghcr.io': {auth: b64('gh:tok')}},
    })
    const source = dockerConfigCredentials({path})
    expect(await source.lookup(endpointFromUrl('docker.io'))).to.include({username: 'hubuser', password: 'hub:pass'})
    expect(await source.lookup(endpointFromUrl('ghcr.io'))).to.include({username: 'gh', password: 'tok'})
    expect(await source.lookup(endpointFromUrl('quay.io'))).to.equal(undefined)
  })

  it('reads an identitytoken from auths as an OAuth2 refresh token', async () => {
    const path = dockerConfig({auths: {'registry.example.com': {auth: b64('someone:'), identitytoken: 'refresh-me'}}})
    const found = await dockerConfigCredentials({path}).lookup(endpointFromUrl('registry.example.com'))
    expect(found).to.include({identityToken: 'refresh-me', username: 'someone'})
    expect(found?.password).to.equal(undefined)
  })

  it('prefers a credHelpers entry over auths, passing the server URL to the helper on stdin', async () => {
    const helper = join(dir, 'docker-credential-unit')
    writeFileSync(helper, `#!/bin/sh\nread url\nprintf '{"ServerURL":"%s","Username":"from-helper","Secret":"%s-secret"}' "$url" "$url"\n`)
    chmodSync(helper, 0o755)
    const path = dockerConfig({
      credHelpers: {'https://index.docker.io/v1/': 'unit'},
      auths: {'https://index.docker.io/v1/': {auth: b64('inline:pw')}},
    })
    const found = await dockerConfigCredentials({path, env: {PATH: `${dir}:${process.env.PATH}`}}).lookup(endpointFromUrl('docker.io'))
    expect(found).to.include({username: 'from-helper', password: 'https://index.docker.io/v1/-secret'})
    expect(found?.source).to.contain('docker-credential-unit')
  })

  it('treats a helper\'s "credentials not found" as no answer and falls back to auths; a missing helper is a config error', async () => {
    const helper = join(dir, 'docker-credential-empty')
    writeFileSync(helper, '#!/bin/sh\necho "credentials not found in native keychain"\nexit 1\n')
    chmodSync(helper, 0o755)
    const env = {PATH: `${dir}:${process.env.PATH}`}
    const withStore = dockerConfig({credsStore: 'empty', auths: {'r.example': {auth: b64('u:p')}}})
    expect(await dockerConfigCredentials({path: withStore, env}).lookup(endpointFromUrl('r.example'))).to.include({
      username: 'u',
      password: 'p',
    })
    const missing = dockerConfig({credsStore: 'does-not-exist'})
    const error = await dockerConfigCredentials({path: missing, env})
      .lookup(endpointFromUrl('r.example'))
      .catch((e: Error) => e)
    expect(error).to.be.instanceOf(Error).with.property('message').that.contains('docker-credential-does-not-exist')
    expect(error).to.have.property('exitCode', 3)
  })

  it('reads a config entry password from password_env or password_file, never requiring plain text', async () => {
    writeFileSync(join(dir, 'pw'), 'file-secret\n')
    const config = validateConfig(
      {
        registries: {
          a: {url: 'a.example', username: 'ua', password_env: 'A_PW'},
          b: {url: 'https://b.example', username: 'ub', password_file: join(dir, 'pw')},
        },
      },
      join(dir, 'config.yaml'),
    )
    const source = configCredentials(config, {A_PW: 'env-secret'})
    expect(await source.lookup(endpointFromUrl('a.example'))).to.include({username: 'ua', password: 'env-secret'})
    expect(await source.lookup(endpointFromUrl('b.example'))).to.include({username: 'ub', password: 'file-secret'})
    const unset = await configCredentials(config, {})
      .lookup(endpointFromUrl('a.example'))
      .catch((e: Error) => e.message)
    expect(unset).to.equal(`config ${join(dir, 'config.yaml')}: registries.a.password_env: environment variable A_PW is not set`)
  })

  it('accepts a plain password in the config with a warning, and rejects a password without a username', () => {
    const config = validateConfig({registries: {p: {url: 'p.example', username: 'u', password: 'plain'}}}, 'cfg.yaml')
    expect(config.warnings?.[0]).to.contain('registries.p.password is stored in plain text')
    expect(() => validateConfig({registries: {p: {url: 'p.example', password_env: 'X'}}}, 'cfg.yaml')).to.throw(
      /needs registries.p.username/,
    )
    expect(() => validateConfig({registries: {p: {url: 'p.example', client_cert: 'c.pem'}}}, 'cfg.yaml')).to.throw(
      /client_cert and client_key go together/,
    )
  })

  it('environment credentials need both variables', async () => {
    expect(await envCredentials({}).lookup(endpointFromUrl('r.example'))).to.equal(undefined)
    expect(await envCredentials({REGLENS_USERNAME: 'u', REGLENS_PASSWORD: 'p'}).lookup(endpointFromUrl('r.example'))).to.include({
      username: 'u',
      password: 'p',
    })
    const error = await envCredentials({REGLENS_USERNAME: 'u'})
      .lookup(endpointFromUrl('r.example'))
      .catch((e: Error) => e.message)
    expect(error).to.contain('REGLENS_PASSWORD is not set')
  })

  it('asks sources in order: flags, then environment, then config, then Docker config.json', async () => {
    const endpoint = endpointFromUrl('r.example')
    const dockerPath = dockerConfig({auths: {'r.example': {auth: b64('docker-user:dp')}}})
    const config = validateConfig({registries: {r: {url: 'r.example', username: 'config-user', password_env: 'R_PW'}}}, 'cfg.yaml')
    const env = {REGLENS_USERNAME: 'env-user', REGLENS_PASSWORD: 'ep', R_PW: 'cp'}
    const flags = flagCredentials('flag-user', async () => 'fp')
    expect(
      (
        await defaultKeychain({explicit: flags, env, configured: configCredentials(config, env), dockerConfigPath: dockerPath}).lookup(
          endpoint,
        )
      )?.source,
    ).to.equal(FLAGS_SOURCE)
    expect(
      (await defaultKeychain({env, configured: configCredentials(config, env), dockerConfigPath: dockerPath}).lookup(endpoint))?.username,
    ).to.equal('env-user')
    expect(
      (
        await defaultKeychain({
          env: {R_PW: 'cp'},
          configured: configCredentials(config, {R_PW: 'cp'}),
          dockerConfigPath: dockerPath,
        }).lookup(endpoint)
      )?.username,
    ).to.equal('config-user')
    expect(
      (
        await defaultKeychain({
          env: {R_PW: 'cp'},
          configured: configCredentials(config, {R_PW: 'cp'}),
          dockerConfigPath: dockerPath,
        }).lookup(endpointFromUrl('https://r.example'))
      )?.username,
    ).to.equal('config-user')
    expect((await defaultKeychain({env: {}, dockerConfigPath: dockerPath}).lookup(endpoint))?.username).to.equal('docker-user')
    expect(await defaultKeychain({env: {}, dockerConfigPath: join(dir, 'none.json')}).lookup(endpoint)).to.equal(undefined)
  })

  it('a chain stops at the first source that answers', async () => {
    let asked = 0
    const counting = {name: 'later', lookup: async () => (asked++, {username: 'x', password: 'y', source: 'later'})}
    const chain = new CredentialChain([staticCredentials('first', {username: 'a', password: 'b'}), counting])
    expect(await chain.lookup(endpointFromUrl('r.example'))).to.include({username: 'a', source: 'first'})
    expect(asked).to.equal(0)
    expect(chain.name).to.equal('first, later')
  })
})
