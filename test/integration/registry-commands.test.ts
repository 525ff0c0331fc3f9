import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {ExitCode} from '../../src/errors.js'
import {runCli} from '../helpers/cli.js'
import {makeHtpasswd, makePki, type TestPki} from '../helpers/pki.js'
import {type RunningTokenServer, startTokenServer} from '../helpers/token-server.js'

describe('registry add / list / remove', () => {
  let dir: string
  let config: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reglens-cfg-'))
    config = join(dir, 'reglens', 'config.yaml')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('writes the entry with mode 0600, keeps existing comments, and lists it without any secret', async () => {
    writeFileSync(join(dir, 'pw'), 'top-secret\n')
    const added = await runCli([
      'registry',
      'add',
      'prod',
      'https://registry.example.com',
      '--username',
      'ci',
      '--password-file',
      join(dir, 'pw'),
      '--default',
      '--config',
      config,
    ])
    expect(added.code, added.stderr).to.equal(0)
    expect(statSync(config).mode & 0o777).to.equal(0o600)
    writeFileSync(config, `# my registries\n${readFileSync(config, 'utf8')}`)
    const second = await runCli(['registry', 'add', 'lab', '127.0.0.1:5000', '--config', config])
    expect(second.code, second.stderr).to.equal(0)
    const text = readFileSync(config, 'utf8')
    expect(text).to.contain('# my registries')
    expect(text).to.contain('url: http://127.0.0.1:5000')
    expect(text).to.not.contain('top-secret')
    const listed = await runCli(['registry', 'list', '--config', config, '--json'])
    expect(listed.code, listed.stderr).to.equal(0)
    const doc = JSON.parse(listed.stdout)
    expect(doc.default).to.equal('prod')
    expect(doc.registries.map((r: {name: string}) => r.name)).to.deep.equal(['prod', 'lab'])
    expect(doc.registries[0]).to.deep.include({
      username: 'ci',
      password: {from: 'file', name: join(dir, 'pw')},
      default: true,
      insecure: false,
    })
    const table = await runCli(['registry', 'list', '--config', config])
    expect(table.stdout).to.match(/prod \*\s+https:\/\/registry\.example\.com\s+ci\s+file:/)
  })

  it('remove drops the entry and the default; an unknown name lists the configured ones (exit 3)', async () => {
    await runCli(['registry', 'add', 'a', 'a.example.com', '--default', '--config', config])
    await runCli(['registry', 'add', 'b', 'b.example.com', '--config', config])
    const unknown = await runCli(['registry', 'remove', 'zzz', '--config', config])
    expect(unknown.code).to.equal(ExitCode.config)
    expect(unknown.stderr).to.contain('configured: a, b')
    const removed = await runCli(['registry', 'remove', 'a', '--config', config, '--json'])
    expect(removed.code, removed.stderr).to.equal(0)
    const doc = JSON.parse((await runCli(['registry', 'list', '--config', config, '--json'])).stdout)
    expect(doc).to.deep.include({default: null})
    expect(doc.registries.map((r: {name: string}) => r.name)).to.deep.equal(['b'])
  })

  it('refuses a name that would read as a host, and a password source without a username', async () => {
    const dotted = await runCli(['registry', 'add', 'my.reg', 'https://x.example', '--config', config])
    expect(dotted.code).to.equal(ExitCode.usage)
    const noUser = await runCli(['registry', 'add', 'x', 'https://x.example', '--password-env', 'X_PW', '--config', config])
    expect(noUser.code).to.equal(ExitCode.usage)
    expect(noUser.stderr).to.contain('need --username')
  })

  it('adds under an empty `registries:` key and validates the result before writing', async () => {
    mkdirSync(join(dir, 'reglens'))
    writeFileSync(config, '# keep me\nregistries:\n')
    const added = await runCli(['registry', 'add', 'x', '127.0.0.1:5000', '--config', config])
    expect(added.code, added.stderr).to.equal(0)
    expect(readFileSync(config, 'utf8')).to.equal('# keep me\nregistries:\n  x:\n    url: http://127.0.0.1:5000\n')
    writeFileSync(config, 'default: gone\n')
    const invalid = await runCli(['registry', 'add', 'y', '127.0.0.1:5000', '--config', config])
    expect(invalid.code).to.equal(ExitCode.config)
    expect(readFileSync(config, 'utf8')).to.equal('default: gone\n')
  })

  it('an empty config lists as valid JSON', async () => {
    const result = await runCli(['registry', 'list', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout)).to.deep.equal({config: null, default: null, registries: []})
  })
})

describe('registry test against real registries', function () {
  let dir: string
  let pki: TestPki
  let plain: RunningRegistry
  let noDelete: RunningRegistry
  let basic: RunningRegistry
  let token: RunningRegistry
  let tokens: RunningTokenServer
  const noDocker = {DOCKER_CONFIG: '/nonexistent-docker-config'}

  before(async function () {
    this.timeout(60_000)
    dir = mkdtempSync(join(tmpdir(), 'reglens-probe-'))
    pki = makePki()
    tokens = await startTokenServer({
      certPath: pki.tokenCert,
      keyPath: pki.tokenKey,
      service: 'probe-svc',
      issuer: 'probe-iss',
      users: {admin: 'admin-pw', reader: 'reader-pw'},
      grant: (user, scope) =>
        user === 'admin' ? ['pull', 'push', 'delete', '*'] : user === 'reader' && scope.type === 'repository' ? ['pull'] : [],
    })
    ;[plain, noDelete, basic, token] = await Promise.all([
      startRegistry(),
      startRegistry({deleteEnabled: false}),
      startRegistry({config: {auth: {htpasswd: {realm: 'basic-realm', path: makeHtpasswd(dir, {bob: 'bob-pw'})}}}}),
      startRegistry({
        config: {auth: {token: {realm: tokens.realm, service: 'probe-svc', issuer: 'probe-iss', rootcertbundle: pki.tokenCert}}},
      }),
    ])
  })
  after(async () => {
    await Promise.all([plain, noDelete, basic, token].map((r) => r?.stop()))
    await tokens?.stop()
    pki?.cleanup()
    rmSync(dir, {recursive: true, force: true})
  })

  const probe = async (registry: string, env: Record<string, string> = {}) => {
    const result = await runCli(['registry', 'test', registry, '--json'], {env: {...noDocker, ...env}})
    return {...result, report: result.stdout ? JSON.parse(result.stdout) : undefined}
  }

  it('an open registry: API version, no auth, deletion enabled (404 for a random digest)', async () => {
    const {code, report, stderr} = await probe(plain.host)
    expect(code, stderr).to.equal(0)
    expect(report).to.deep.include({registry: plain.host, url: plain.url, reachable: true, apiVersion: 'registry/2.0'})
    expect(report.auth).to.deep.equal({method: 'none', realm: null, service: null})
    expect(report.credentials).to.deep.include({source: null, accepted: null})
    expect(report.deletion).to.deep.include({enabled: true, status: 404})
  })

  it('deletion disabled is reported from the 405 answer', async () => {
    const {report} = await probe(noDelete.host)
    expect(report.deletion).to.deep.include({enabled: false, status: 405})
  })

  it('Basic auth: accepted credentials, then rejected ones with exit 6', async () => {
    const good = await probe(basic.host, {REGLENS_USERNAME: 'bob', REGLENS_PASSWORD: 'bob-pw'})
    expect(good.code, good.stderr).to.equal(0)
    expect(good.report.auth).to.deep.equal({method: 'basic', realm: 'basic-realm', service: null})
    expect(good.report.credentials).to.deep.include({source: 'REGLENS_USERNAME/REGLENS_PASSWORD', username: 'bob', accepted: true})
    expect(good.report.deletion.enabled).to.equal(true)
    const bad = await probe(basic.host, {REGLENS_USERNAME: 'bob', REGLENS_PASSWORD: 'wrong-pw'})
    expect(bad.code).to.equal(ExitCode.unauthorized)
    expect(bad.report.credentials.accepted).to.equal(false)
    expect(bad.stdout + bad.stderr).to.not.contain('wrong-pw')
    const none = await probe(basic.host)
    expect(none.code).to.equal(0)
    expect(none.report.credentials).to.deep.include({source: null, accepted: null})
    expect(none.report.deletion.enabled).to.equal(null)
  })

  it('Bearer auth: reports the realm and service; deletion is known for an admin, unknown for a read-only user', async () => {
    const admin = await probe(token.host, {REGLENS_USERNAME: 'admin', REGLENS_PASSWORD: 'admin-pw'})
    expect(admin.code, admin.stderr).to.equal(0)
    expect(admin.report.auth).to.deep.equal({method: 'bearer', realm: tokens.realm, service: 'probe-svc'})
    expect(admin.report.credentials.accepted).to.equal(true)
    expect(admin.report.deletion).to.deep.include({enabled: true, status: 404})
    const reader = await probe(token.host, {REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: 'reader-pw'})
    expect(reader.report.credentials.accepted).to.equal(true)
    expect(reader.report.deletion.enabled).to.equal(null)
    const wrong = await probe(token.host, {REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: 'nope'})
    expect(wrong.code).to.equal(ExitCode.unauthorized)
    expect(wrong.report.credentials.accepted).to.equal(false)
  })

  it('Bearer auth without credentials says they are needed (not "none needed"), and the deletion line says "unknown" once', async () => {
    const json = await probe(token.host)
    expect(json.code, json.stderr).to.equal(0)
    expect(json.report.credentials).to.deep.include({source: null, accepted: null})
    expect(json.report.credentials.detail).to.equal(
      'the registry asks for bearer auth; without credentials only anonymous access works (public repositories, if any)',
    )
    expect(json.report.deletion).to.deep.include({enabled: null, detail: 'deleting needs credentials, and none were found'})
    const text = await runCli(['registry', 'test', token.host], {env: noDocker})
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout).to.match(/^credentials\s+none found: the registry asks for bearer auth; without credentials/m)
    expect(text.stdout).to.not.contain('none needed')
    expect(text.stdout).to.match(/^deletion\s+unknown: deleting needs credentials, and none were found$/m)
    expect(text.stdout).to.not.contain('unknown: unknown')
    const reader = await runCli(['registry', 'test', token.host], {
      env: {...noDocker, REGLENS_USERNAME: 'reader', REGLENS_PASSWORD: 'reader-pw'},
    })
    expect(reader.stdout).to.match(/^deletion\s+unknown: these credentials may not delete here$/m)
  })

  it('prints a readable report without --json, by configured name', async () => {
    const config = join(dir, 'config.yaml')
    writeFileSync(config, `registries:\n  b:\n    url: ${basic.url}\n    username: bob\n    password_env: BOB_PW\n`)
    const result = await runCli(['registry', 'test', 'b', '--config', config], {env: {...noDocker, BOB_PW: 'bob-pw'}})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^auth\s+basic \(realm basic-realm\)$/m)
    expect(result.stdout).to.match(/^credentials\s+accepted \(config registry "b" in .*, user bob\)$/m)
    expect(result.stdout).to.match(/^deletion\s+enabled/m)
  })

  it('an invalid --repository is a usage error (exit 2) before any request, not a path of its own making', async () => {
    const result = await runCli(['registry', 'test', plain.host, '--repository', 'team/../_catalog'], {env: noDocker})
    expect(result.code, result.stderr).to.equal(ExitCode.usage)
    expect(result.stdout).to.equal('')
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('invalid reference').and.contain('".."')
  })

  it('an unreachable registry is exit 4', async () => {
    const result = await runCli(['registry', 'test', '127.0.0.1:1'])
    expect(result.code).to.equal(ExitCode.network)
  })
})
