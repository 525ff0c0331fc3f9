import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type RunningRegistry, startRegistry} from '../../src/devtools/registry-server.js'
import {withCliHints} from '../../src/cli/hints.js'
import {ExitCode, RegistryError} from '../../src/errors.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {authedClient} from '../helpers/auth.js'
import {runCli} from '../helpers/cli.js'
import {makePki, type TestPki} from '../helpers/pki.js'
import {type RunningTokenServer, startTokenServer} from '../helpers/token-server.js'

const SERVICE = 'reglens-realm-test'
const ISSUER = 'reglens-realm-issuer'
const ADMIN = {username: 'admin', password: 'admin-pw'}

/** A real registry over https on 127.0.0.1 whose token realm is plain http on 127.0.0.2. */
describe('a plain-http token realm for an https registry', function () {
  let pki: TestPki
  let tokens: RunningTokenServer
  let registry: RunningRegistry

  before(async function () {
    this.timeout(60_000)
    pki = makePki()
    tokens = await startTokenServer({
      certPath: pki.tokenCert,
      keyPath: pki.tokenKey,
      service: SERVICE,
      issuer: ISSUER,
      users: {admin: ADMIN.password},
      grant: () => ['pull', 'push', '*'],
      address: '127.0.0.2',
    })
    registry = await startRegistry({
      http: {tls: {certificate: pki.serverCert, key: pki.serverKey}},
      config: {auth: {token: {realm: tokens.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: pki.tokenCert}}},
    })
    const {client} = authedClient(`https://${registry.host}`, ADMIN, {caCert: pki.caCert, insecure: true})
    await pushImage(client, parseRepository(`${registry.host}/team/app`), await buildImage({layers: [{'r.txt': 'realm'}]}), 'v1')
    await client.close()
    tokens.requests.length = 0
  })
  after(async () => {
    await registry?.stop()
    await tokens?.stop()
    pki?.cleanup()
  })

  const env = {REGLENS_USERNAME: ADMIN.username, REGLENS_PASSWORD: ADMIN.password, DOCKER_CONFIG: '/nonexistent-docker-config'}

  it('is refused (exit 5) before the credentials reach the realm on 127.0.0.2', async () => {
    expect(tokens.realm).to.match(/^http:\/\/127\.0\.0\.2:/)
    const {client} = authedClient(`https://${registry.host}`, ADMIN, {caCert: pki.caCert})
    try {
      await listTags(client, parseRepository(`${registry.host}/team/app`)).next()
      expect.fail('the http realm was used')
    } catch (error) {
      expect(error).to.be.instanceOf(RegistryError)
      expect((error as RegistryError).exitCode).to.equal(ExitCode.tls)
      expect((error as RegistryError).message).to.contain(`plain-http token realm (${tokens.realm})`)
      // The library names no flag: it carries the hint, and the CLI's line names --insecure (asserted below).
      expect((error as RegistryError).details.hint).to.equal('plainHttpRealm')
      expect(withCliHints((error as RegistryError).message)).to.contain('--insecure')
    } finally {
      await client.close()
    }
    const cli = await runCli(['tags', 'list', 'team/app', '-r', `https://${registry.host}`, '--ca-cert', pki.caCert], {env})
    expect(cli.code, cli.stderr).to.equal(ExitCode.tls)
    expect(cli.stderr.trim().split('\n')).to.have.length(1)
    expect(cli.stderr).to.contain('credentials are not sent there (pass --insecure to allow it)')
    expect(tokens.requests).to.deep.equal([])
  })

  it('is allowed with --insecure, with a warning on stderr', async () => {
    const cli = await runCli(['tags', 'list', 'team/app', '-r', `https://${registry.host}`, '--insecure', '--json'], {env})
    expect(cli.code, cli.stderr).to.equal(0)
    expect(JSON.parse(cli.stdout).tags.map((t: {name: string}) => t.name)).to.deep.equal(['v1'])
    expect(cli.stderr).to.contain(`--insecure: ${registry.host} uses the plain-http token realm ${tokens.realm}`)
    expect(tokens.requests.map((r) => r.user)).to.deep.equal(['admin'])
  })
})
