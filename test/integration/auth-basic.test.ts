import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {ExitCode} from '../../src/errors.js'
import {parseRepository} from '../../src/registry/reference.js'
import {repositoryScope} from '../../src/registry/transport/auth.js'
import {authedClient} from '../helpers/auth.js'
import {runCli} from '../helpers/cli.js'
import {makeHtpasswd} from '../helpers/pki.js'

const PASSWORD = 'alice-secret-pw'

describe('Basic auth (htpasswd) with credentials from every source', function () {
  let dir: string
  let registry: RunningRegistry
  const b64 = (text: string) => Buffer.from(text).toString('base64')

  before(async function () {
    this.timeout(60_000)
    dir = mkdtempSync(join(tmpdir(), 'reglens-basic-'))
    const htpasswd = makeHtpasswd(dir, {alice: PASSWORD})
    registry = await startRegistry({config: {auth: {htpasswd: {realm: 'basic-realm', path: htpasswd}}}})
    const {client} = authedClient(registry.url, {username: 'alice', password: PASSWORD})
    const image = await buildImage({layers: [{'b.txt': 'basic auth'}]})
    for (const tag of ['v1', 'v2']) await pushImage(client, parseRepository(`${registry.host}/team/basic`), image, tag)
    await client.close()
  })
  after(async () => {
    await registry?.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  const noDocker = {DOCKER_CONFIG: '/nonexistent-docker-config'}
  const tagsOf = (stdout: string) => JSON.parse(stdout).tags.map((t: {name: string}) => t.name)
  const listTags = (extra: string[] = [], options: {env?: Record<string, string>; input?: string} = {}) =>
    runCli(['tags', 'list', `${registry.host}/team/basic`, '--json', ...extra], {...options, env: {...noDocker, ...options.env}})

  it('--username with --password-stdin', async () => {
    const result = await listTags(['--username', 'alice', '--password-stdin'], {input: `${PASSWORD}\n`})
    expect(result.code, result.stderr).to.equal(0)
    expect(tagsOf(result.stdout)).to.deep.equal(['v1', 'v2'])
  })

  it('--username without --password-stdin (or the reverse) is a usage error before any request', async () => {
    for (const flags of [['--username', 'alice'], ['--password-stdin']]) {
      const result = await listTags(flags, {input: PASSWORD})
      expect(result.code).to.equal(ExitCode.usage)
      expect(result.stderr).to.contain('--username and --password-stdin go together')
    }
  })

  it('REGLENS_USERNAME / REGLENS_PASSWORD', async () => {
    const result = await listTags([], {env: {REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: PASSWORD}})
    expect(result.code, result.stderr).to.equal(0)
    expect(tagsOf(result.stdout)).to.deep.equal(['v1', 'v2'])
  })

  it('the config entry, by --registry NAME, with password_env and with password_file', async () => {
    writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`)
    const config = join(dir, 'config.yaml')
    writeFileSync(
      config,
      `registries:\n  viaenv:\n    url: ${registry.url}\n    username: alice\n    password_env: ALICE_PW\n  viafile:\n    url: ${registry.host}\n    username: alice\n    password_file: ${join(dir, 'pw')}\n`,
    )
    const byEnv = await runCli(['tags', 'list', 'team/basic', '--registry', 'viaenv', '--config', config, '--json'], {
      env: {...noDocker, ALICE_PW: PASSWORD},
    })
    expect(byEnv.code, byEnv.stderr).to.equal(0)
    expect(tagsOf(byEnv.stdout)).to.deep.equal(['v1', 'v2'])
    const byFile = await runCli(['tags', 'list', 'team/basic', '-r', 'viafile', '--config', config, '--json'], {env: noDocker})
    expect(byFile.code, byFile.stderr).to.equal(0)
    const unknown = await runCli(['tags', 'list', 'team/basic', '-r', 'nosuch', '--config', config], {env: noDocker})
    expect(unknown.code).to.equal(ExitCode.config)
    expect(unknown.stderr).to.contain('configured: viaenv, viafile')
  })

  it('config mistakes are exit 3 naming the entry and key: a misspelt key, an unset password_env, a missing password_file', async () => {
    const config = join(dir, 'mistakes.yaml')
    const run = (name: string) => runCli(['tags', 'list', 'team/basic', '-r', name, '--config', config], {env: noDocker})
    writeFileSync(config, `registries:\n  myreg:\n    url: ${registry.url}\n    username: alice\n    passwrd: ${PASSWORD}\n`)
    const typo = await run('myreg')
    expect(typo.code, typo.stderr).to.equal(ExitCode.config)
    expect(typo.stderr.trim().split('\n')).to.have.length(1)
    expect(typo.stderr).to.contain(`invalid config ${config}: registries.myreg: unknown key "passwrd"`).and.not.contain(PASSWORD)
    writeFileSync(
      config,
      `registries:\n  viaenv:\n    url: ${registry.url}\n    username: alice\n    password_env: RELGENS_TEST_UNSET_PW\n  viafile:\n    url: ${registry.url}\n    username: alice\n    password_file: ${join(dir, 'no-such-pw')}\n`,
    )
    const unset = await run('viaenv')
    expect(unset.code, unset.stderr).to.equal(ExitCode.config)
    expect(unset.stderr).to.contain(
      `config ${config}: registries.viaenv.password_env: environment variable RELGENS_TEST_UNSET_PW is not set`,
    )
    const missing = await run('viafile')
    expect(missing.code, missing.stderr).to.equal(ExitCode.config)
    expect(missing.stderr).to.contain(`config ${config}: registries.viafile.password_file: cannot read ${join(dir, 'no-such-pw')}: ENOENT`)
  })

  it("Docker's config.json auths entry (base64 auth), by host, with or without scheme", async () => {
    const docker = join(dir, 'docker-auths')
    for (const key of [registry.host, `http://${registry.host}`]) {
      rmSync(docker, {recursive: true, force: true})
      mkdirSync(docker)
      writeFileSync(join(docker, 'config.json'), JSON.stringify({auths: {[key]: {auth: b64(`alice:${PASSWORD}`)}}}))
      const result = await listTags([], {env: {DOCKER_CONFIG: docker}})
      expect(result.code, `${key}: ${result.stderr}`).to.equal(0)
      expect(tagsOf(result.stdout)).to.deep.equal(['v1', 'v2'])
    }
  })

  it('a docker-credential helper on PATH (credHelpers), speaking the helper protocol', async () => {
    const bin = join(dir, 'bin')
    mkdirSync(bin, {recursive: true})
    const seen = join(dir, 'helper-stdin')
    writeFileSync(
      join(bin, 'docker-credential-test'),
      `#!/bin/sh\n[ "$1" = get ] || exit 2\ncat > '${seen}'\nprintf '{"ServerURL":"x","Username":"alice","Secret":"${PASSWORD}"}'\n`,
    )
    chmodSync(join(bin, 'docker-credential-test'), 0o755)
    const docker = join(dir, 'docker-helper')
    mkdirSync(docker, {recursive: true})
    writeFileSync(join(docker, 'config.json'), JSON.stringify({credHelpers: {[registry.host]: 'test'}}))
    const result = await listTags([], {env: {DOCKER_CONFIG: docker, PATH: `${bin}:${process.env.PATH}`}})
    expect(result.code, result.stderr).to.equal(0)
    expect(tagsOf(result.stdout)).to.deep.equal(['v1', 'v2'])
    expect(readFileSync(seen, 'utf8')).to.equal(registry.host)
  })

  it('flags win over the environment, which wins over Docker config', async () => {
    const docker = join(dir, 'docker-wrong')
    mkdirSync(docker, {recursive: true})
    writeFileSync(join(docker, 'config.json'), JSON.stringify({auths: {[registry.host]: {auth: b64('alice:wrong-docker')}}}))
    const flagsFirst = await listTags(['--username', 'alice', '--password-stdin'], {
      input: PASSWORD,
      env: {REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: 'wrong-env', DOCKER_CONFIG: docker},
    })
    expect(flagsFirst.code, flagsFirst.stderr).to.equal(0)
    const envFirst = await listTags([], {env: {REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: PASSWORD, DOCKER_CONFIG: docker}})
    expect(envFirst.code, envFirst.stderr).to.equal(0)
    const dockerOnly = await listTags([], {env: {DOCKER_CONFIG: docker}})
    expect(dockerOnly.code).to.equal(ExitCode.unauthorized)
    expect(dockerOnly.stderr).to.contain(
      `Docker config ${join(docker, 'config.json')} (auths "${registry.host}") (user alice) were rejected`,
    )
    expect(dockerOnly.stderr).to.not.contain('wrong-docker')
  })

  it('a wrong password: one line, exit 6, naming the registry and the source; no credentials: says where it looked', async () => {
    const wrong = await listTags([], {env: {REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: 'nope-wrong'}})
    expect(wrong.code).to.equal(ExitCode.unauthorized)
    expect(wrong.stderr.trim().split('\n')).to.have.length(1)
    expect(wrong.stderr).to.contain(
      `authentication failed for ${registry.host}/team/basic (list tags): credentials from REGLENS_USERNAME/REGLENS_PASSWORD (user alice) were rejected`,
    )
    expect(wrong.stderr).to.not.contain('nope-wrong')
    const none = await listTags()
    expect(none.code).to.equal(ExitCode.unauthorized)
    expect(none.stderr).to.contain('no credentials found (looked in: REGLENS_USERNAME/REGLENS_PASSWORD, config file, Docker config.json)')
  })

  it('repos list refused with a wrong password or none keeps saying which credentials, and hints at admin-only catalogs', async () => {
    const repos = (env: Record<string, string>) => runCli(['repos', 'list', '-r', registry.host], {env: {...noDocker, ...env}})
    const wrong = await repos({REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: 'wrong'})
    expect(wrong.code).to.equal(ExitCode.unauthorized)
    expect(wrong.stderr.trim().split('\n')).to.have.length(1)
    expect(wrong.stderr).to.contain('REGLENS_USERNAME/REGLENS_PASSWORD (user alice) were rejected').and.contain('admin')
    const none = await repos({})
    expect(none.code).to.equal(ExitCode.unauthorized)
    expect(none.stderr).to.contain('no credentials found')
  })

  it('after the first challenge Basic credentials go out pre-emptively: one 401 per run, not per request', async () => {
    const {client, authenticator} = authedClient(registry.url, {username: 'alice', password: PASSWORD})
    try {
      const list = () =>
        client.json({
          method: 'GET',
          path: '/v2/team/basic/tags/list',
          scopes: [repositoryScope('team/basic')],
          subject: {action: 'list tags'},
        })
      await list()
      expect(client.requests.total).to.equal(2)
      await Promise.all(Array.from({length: 10}, list))
      expect(client.requests.total).to.equal(12)
      expect(authenticator.scheme).to.deep.equal({type: 'basic', realm: 'basic-realm'})
    } finally {
      await client.close()
    }
  })

  it('--verbose never prints the password or the Authorization header', async () => {
    const result = await listTags(['--verbose'], {env: {REGLENS_USERNAME: 'alice', REGLENS_PASSWORD: PASSWORD}})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain('→ 200')
    expect(result.stderr).to.not.contain(PASSWORD)
    expect(result.stderr).to.not.contain(b64(`alice:${PASSWORD}`))
    expect(result.stderr).to.not.match(/authorization/i)
  })
})
