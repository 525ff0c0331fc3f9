import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {loadConfig, validateConfig} from '../../src/config/config.js'
import {resolveReference, resolveRegistry, resolveRepository} from '../../src/config/resolve.js'
import {ConfigError, UsageError} from '../../src/errors.js'
import {HINTS} from '../../src/registry/hints.js'

const config = validateConfig(
  {default: 'local', registries: {local: {url: 'http://127.0.0.1:5000'}, prod: {url: 'registry.example.com', ca_cert: '/etc/ca.pem'}}},
  'test.yaml',
)

describe('config and registry resolution', () => {
  it('resolves a bare repository against the config default', () => {
    const {endpoint, target} = resolveRepository('team/app', {config})
    expect(endpoint).to.include({host: '127.0.0.1:5000', url: 'http://127.0.0.1:5000', name: 'local'})
    expect(target.repository).to.equal('team/app')
  })

  it('lets --registry NAME win over the default, and carries the entry settings', () => {
    const {endpoint} = resolveRepository('team/app', {config, registry: 'prod'})
    expect(endpoint).to.include({host: 'registry.example.com', url: 'https://registry.example.com', caCert: '/etc/ca.pem'})
  })

  it('lets a host in the reference win, and finds its config entry by host', () => {
    expect(resolveRepository('registry.example.com/x', {config}).endpoint.name).to.equal('prod')
    expect(resolveRepository('ghcr.io/x/y', {config}).endpoint.url).to.equal('https://ghcr.io')
  })

  it('falls back to Docker Hub with library/ when nothing is configured', () => {
    const {endpoint, target} = resolveRepository('nginx', {config: {registries: {}}})
    expect(endpoint.url).to.equal('https://registry-1.docker.io')
    expect(target.repository).to.equal('library/nginx')
  })

  it('lists the configured registries when a name is unknown', () => {
    expect(() => resolveRegistry({config, registry: 'staging'})).to.throw(
      ConfigError,
      'unknown registry "staging" in test.yaml; configured: local, prod',
    )
  })

  it('accepts a URL or host:port for --registry', () => {
    expect(resolveRegistry({config, registry: 'localhost:5001'}).url).to.equal('http://localhost:5001')
    expect(resolveRegistry({config, registry: 'https://r.example.org'}).host).to.equal('r.example.org')
    expect(() => resolveRegistry({config, registry: 'https://r.example.org/path'})).to.throw(UsageError)
  })

  it('reports config problems as one line naming the key', () => {
    expect(() => validateConfig({registries: {a: {url: 5}}}, 'c.yaml')).to.throw(
      ConfigError,
      'invalid config c.yaml: registries.a.url must be a non-empty string',
    )
    expect(() => validateConfig({default: 'x', registries: {}}, 'c.yaml')).to.throw(ConfigError, /default "x" is not one of the registries/)
    expect(() => validateConfig([1], 'c.yaml')).to.throw(ConfigError, /top level must be a mapping/)
  })

  it('rejects unknown keys at the top level and in a registry entry, naming the entry and the key', () => {
    expect(() => validateConfig({registries: {myreg: {url: 'r.example', username: 'u', passwrd: 'x'}}}, 'c.yaml')).to.throw(
      ConfigError,
      /^invalid config c\.yaml: registries\.myreg: unknown key "passwrd" \(expected one of url, insecure, ca_cert, username, password_env/,
    )
    expect(() => validateConfig({registry: {a: {url: 'r.example'}}}, 'c.yaml')).to.throw(
      ConfigError,
      'invalid config c.yaml: unknown key "registry" (expected one of default, registries, timeout)',
    )
  })

  it('takes a per-try timeout in seconds at the top level, and refuses one that is no positive number', () => {
    expect(validateConfig({timeout: 2.5}, 'c.yaml').timeout).to.equal(2.5)
    for (const bad of [0, -1, '5', 7200])
      expect(() => validateConfig({timeout: bad}, 'c.yaml')).to.throw(
        ConfigError,
        'invalid config c.yaml: timeout must be a number of seconds from 0.1 to 3600',
      )
  })

  it('rejects a registry url that is no registry root as a config error naming the key, not a usage error', () => {
    expect(() => validateConfig({registries: {a: {url: 'ftp://x'}}}, 'c.yaml')).to.throw(
      ConfigError,
      'invalid config c.yaml: registries.a.url: scheme must be http or https',
    )
    expect(() => validateConfig({registries: {a: {url: 'https://x.example/path'}}}, 'c.yaml')).to.throw(
      ConfigError,
      /^invalid config c\.yaml: registries\.a\.url: give the registry root/,
    )
  })

  it('reports a YAML syntax error as one line without a dangling colon', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reglens-config-'))
    const file = join(dir, 'config.yaml')
    writeFileSync(file, 'registries:\n  local:\n    url: [oops\n')
    expect(() => loadConfig(file)).to.throw(ConfigError, /^invalid config .*at line \d+, column \d+$/)
  })

  it('reads YAML from a file, treats a missing default file as empty, and a missing explicit one as an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reglens-config-'))
    const file = join(dir, 'config.yaml')
    writeFileSync(file, 'registries:\n  local:\n    url: localhost:5000\n    insecure: true\n')
    expect(loadConfig(file).registries.local).to.deep.equal({url: 'localhost:5000', insecure: true})
    expect(loadConfig(undefined, {XDG_CONFIG_HOME: dir})).to.deep.equal({registries: {}})
    expect(() => loadConfig(join(dir, 'missing.yaml'))).to.throw(ConfigError, /cannot read config .*ENOENT/)
    writeFileSync(file, 'registries: [\n')
    expect(() => loadConfig(file)).to.throw(ConfigError, /invalid config/)
  })
})

describe('references pasted with a scheme', () => {
  const empty = {config: {registries: {}}}

  it('take the protocol from the scheme, the host from the first component', () => {
    const https = resolveReference('https://127.0.0.1:5443/team/app:1.0', empty)
    expect(https.endpoint).to.include({host: '127.0.0.1:5443', url: 'https://127.0.0.1:5443'})
    expect(https.endpoint.probeTls).to.equal(undefined)
    expect(https.target).to.include({registry: '127.0.0.1:5443', repository: 'team/app', tag: '1.0'})
    const http = resolveRepository('HTTP://registry.internal:5000/team/app', empty)
    expect(http.endpoint.url).to.equal('http://registry.internal:5000')
    expect(resolveReference('https://myregistry/team/app@sha256:' + 'a'.repeat(64), empty).endpoint.url).to.equal('https://myregistry')
    expect(resolveReference('https://docker.io/nginx', empty).endpoint.url).to.equal('https://registry-1.docker.io')
  })

  it('keep the settings of the config entry for that host', () => {
    const config = validateConfig({registries: {lab: {url: 'https://lab.internal:5000', ca_cert: '/etc/lab.pem'}}}, 'c.yaml')
    expect(resolveReference('https://lab.internal:5000/team/app', {config}).endpoint).to.include({name: 'lab', caCert: '/etc/lab.pem'})
  })

  it('need a repository after the host', () => {
    expect(() => resolveReference('https://r.example', empty)).to.throw(
      UsageError,
      'name the repository after the host (https://r.example/REPOSITORY)',
    )
    expect(() => resolveReference('https://r.example/other.host/app', empty)).to.throw(UsageError, 'reads as a second registry host')
  })

  it('are refused with credentials in them, which the message does not repeat', () => {
    for (const [input, shown] of [
      ['https://user:s3cret@r.example/team/app:1.0', 'https://***@r.example/team/app:1.0'],
      ['http://token@127.0.0.1:5000/team/app', 'http://***@127.0.0.1:5000/team/app'],
      ['user:s3cret@r.example:5000/team/app', '***@r.example:5000/team/app'],
    ]) {
      let error: unknown
      try {
        resolveReference(input, empty)
      } catch (caught) {
        error = caught
      }
      expect(error, input).to.be.instanceOf(UsageError)
      expect((error as Error).message).to.equal(
        `invalid reference "${shown}": credentials do not belong in a reference; ${HINTS.noCredentials}`,
      )
      expect((error as Error).message).not.to.contain('s3cret')
    }
    // A digest's @ follows the repository: still a reference.
    expect(resolveReference('r.example/team/app@sha256:' + 'a'.repeat(64), empty).target.repository).to.equal('team/app')
  })
})

describe('loopback registries named without a scheme', () => {
  it('are probed for TLS unless a CA or client certificate says HTTPS', () => {
    expect(resolveRegistry({config: {registries: {}}, registry: '127.0.0.1:5000'})).to.include({
      url: 'http://127.0.0.1:5000',
      probeTls: true,
    })
    expect(resolveRegistry({config: {registries: {}}, registry: '127.0.0.1:5000', caCert: '/ca.pem'}))
      .to.include({url: 'https://127.0.0.1:5000'})
      .and.not.have.property('probeTls')
    expect(resolveRegistry({config: {registries: {}}, registry: 'http://127.0.0.1:5000'})).to.not.have.property('probeTls')
  })
})
