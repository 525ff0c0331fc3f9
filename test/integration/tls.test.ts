import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {ExitCode} from '../../src/errors.js'
import {parseRepository} from '../../src/registry/reference.js'
import {authedClient} from '../helpers/auth.js'
import {runCli} from '../helpers/cli.js'
import {makePki, type TestPki} from '../helpers/pki.js'

describe('TLS with a private CA (registry served over https)', function () {
  let pki: TestPki
  let registry: RunningRegistry
  let mtls: RunningRegistry

  before(async function () {
    this.timeout(60_000)
    pki = makePki()
    registry = await startRegistry({http: {tls: {certificate: pki.serverCert, key: pki.serverKey}}})
    mtls = await startRegistry({http: {tls: {certificate: pki.serverCert, key: pki.serverKey, clientcas: [pki.caCert]}}})
    const image = await buildImage({layers: [{'t.txt': 'tls'}]})
    const {client} = authedClient(registry.url, undefined, {caCert: pki.caCert})
    await pushImage(client, parseRepository(`${registry.host}/secure/app`), image, 'stable')
    await client.close()
  })
  after(async () => {
    await registry?.stop()
    await mtls?.stop()
    pki?.cleanup()
  })

  const url = () => `https://${registry.host}`

  it('an untrusted certificate is exit 5 with the --ca-cert / --insecure hint', async () => {
    const result = await runCli(['tags', 'list', 'secure/app', '-r', url()])
    expect(result.code).to.equal(ExitCode.tls)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('pass --ca-cert FILE or, at your own risk, --insecure')
  })

  it('a loopback host without a scheme is tried over HTTPS first (as Docker does): --ca-cert is all it needs', async () => {
    const trusted = await runCli(['tags', 'list', `${registry.host}/secure/app`, '--ca-cert', pki.caCert, '--json'])
    expect(trusted.code, trusted.stderr).to.equal(0)
    expect(JSON.parse(trusted.stdout).tags.map((t: {name: string}) => t.name)).to.deep.equal(['stable'])
    const probe = await runCli(['registry', 'test', registry.host, '--ca-cert', pki.caCert, '--json'])
    expect(probe.code, probe.stderr).to.equal(0)
    expect(JSON.parse(probe.stdout).url).to.equal(`https://${registry.host}`)
    // Without the CA the certificate is still checked: HTTPS is chosen, and the failure says how to trust it.
    const untrusted = await runCli(['tags', 'list', `${registry.host}/secure/app`])
    expect(untrusted.code, untrusted.stderr).to.equal(ExitCode.tls)
    expect(untrusted.stderr.trim().split('\n')).to.have.length(1)
    expect(untrusted.stderr).to.contain('pass --ca-cert FILE')
  })

  it('a reference pasted with https:// picks HTTPS; with http:// against this TLS port it is exit 5 saying to use https://', async () => {
    const pasted = await runCli(['image', 'inspect', `https://${registry.host}/secure/app:stable`, '--ca-cert', pki.caCert, '--json'])
    expect(pasted.code, pasted.stderr).to.equal(0)
    const tags = await runCli(['tags', 'list', `https://${registry.host}/secure/app`, '--ca-cert', pki.caCert, '--json'])
    expect(tags.code, tags.stderr).to.equal(0)
    const plain = await runCli(['tags', 'list', `http://${registry.host}/secure/app`])
    expect(plain.code, plain.stderr).to.equal(ExitCode.tls)
    expect(plain.stderr.trim().split('\n')).to.have.length(1)
    expect(plain.stderr).to.contain(`use https://${registry.host}`)
  })

  it('a --ca-cert file holding no PEM certificate is a config error naming the file, before any request', async () => {
    const notPem = join(pki.dir, 'not-a-cert.pem')
    writeFileSync(notPem, 'this is not a certificate\n')
    const result = await runCli(['tags', 'list', 'secure/app', '-r', url(), '--ca-cert', notPem])
    expect(result.code, result.stderr).to.equal(ExitCode.config)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain(notPem).and.contain('no PEM certificate')
  })

  it('--ca-cert trusts the private CA', async () => {
    const result = await runCli(['tags', 'list', 'secure/app', '-r', url(), '--ca-cert', pki.caCert, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).tags).to.deep.equal([{name: 'stable'}])
  })

  it('ca_cert in the config entry works the same, for a reference naming the host', async () => {
    const config = join(pki.dir, 'config.yaml')
    writeFileSync(config, `registries:\n  secure:\n    url: ${url()}\n    ca_cert: ${pki.caCert}\n`)
    const byHost = await runCli(['tags', 'list', `${registry.host}/secure/app`, '--config', config, '--json'])
    expect(byHost.code, byHost.stderr).to.equal(0)
    const byName = await runCli(['repos', 'list', '-r', 'secure', '--config', config, '--json'])
    expect(JSON.parse(byName.stdout).repositories).to.deep.equal([{name: 'secure/app'}])
  })

  it('--insecure skips verification and warns on stderr', async () => {
    const result = await runCli(['tags', 'list', 'secure/app', '-r', url(), '--insecure', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain('--insecure: TLS certificates are not verified')
    expect(JSON.parse(result.stdout).tags).to.deep.equal([{name: 'stable'}])
  })

  it('mutual TLS: client_cert/client_key from the config are presented; without them the registry refuses', async () => {
    const config = join(pki.dir, 'mtls.yaml')
    writeFileSync(
      config,
      `registries:\n  mtls:\n    url: https://${mtls.host}\n    ca_cert: ${pki.caCert}\n    client_cert: ${pki.clientCert}\n    client_key: ${pki.clientKey}\n`,
    )
    const withCert = await runCli(['repos', 'list', '-r', 'mtls', '--config', config, '--json'])
    expect(withCert.code, withCert.stderr).to.equal(0)
    expect(JSON.parse(withCert.stdout).repositories).to.deep.equal([])
    const without = await runCli(['repos', 'list', '-r', `https://${mtls.host}`, '--ca-cert', pki.caCert])
    expect(without.code).to.be.oneOf([ExitCode.network, ExitCode.tls])
    expect(without.stderr.trim().split('\n')).to.have.length(1)
  })
})
