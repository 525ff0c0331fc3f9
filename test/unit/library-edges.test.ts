import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {withCliHints} from '../../src/cli/hints.js'
import {HINTS, SETTINGS} from '../../src/registry/hints.js'
import {errorFromBody, errorFromNetwork} from '../../src/registry/transport/errors.js'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, {withFileTypes: true}).flatMap((entry) => {
    const path = join(directory, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

describe('library edges', () => {
  it('src/registry imports nothing from the app: config, cli, output, commands', () => {
    const upward = sourceFiles(join(SRC, 'registry')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
        .map((match) => relative(SRC, join(file, '..', match[1])))
        .filter((target) => /^(config|cli|output|commands)\//.test(target))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    )
    expect(upward).to.deep.equal([])
  })

  it('src/registry code names no CLI flag (comments may): messages use hints and settings the CLI replaces', () => {
    const named = sourceFiles(join(SRC, 'registry')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.replace(/^\s*(\/\/|\/?\*).*$/, '').replace(/\s\/\/\s.*$/, ''))
        .flatMap((code, index) => [...code.matchAll(/--[a-z][a-z-]+/g)].map((flag) => `${relative(SRC, file)}:${index + 1} ${flag[0]}`)),
    )
    expect(named).to.deep.equal([])
  })

  it('library settings name no CLI flag; the CLI line names the flag', () => {
    for (const phrase of Object.values(SETTINGS)) expect(phrase).not.to.match(/--|reglens /)
    const stalled = errorFromBody(
      Object.assign(new Error('stalled'), {code: 'UND_ERR_BODY_TIMEOUT'}),
      {host: 'lab:5000', action: 'get blob'},
      'x',
    )
    expect(stalled.message).not.to.contain('--')
    expect(withCliHints(stalled.message)).to.equal('lab:5000 (get blob): the response stalled mid-body (no data within the --timeout)')
  })

  it('library hints name no CLI flag or command; the CLI line names them', () => {
    for (const phrase of Object.values(HINTS)) expect(phrase).not.to.match(/--|reglens /)
    const error = errorFromNetwork(
      Object.assign(new Error('self-signed'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}),
      {host: 'lab:5000', action: 'ping'},
      'https://lab:5000/v2/',
    )
    expect(error.message).not.to.contain('--')
    expect(error.details.hint).to.equal('untrustedCertificate')
    expect(withCliHints(error.message)).to.equal(
      'TLS certificate of lab:5000 is not trusted (SELF_SIGNED_CERT_IN_CHAIN); pass --ca-cert FILE or, at your own risk, --insecure',
    )
    expect(
      withCliHints(`authentication failed for r.io: no credentials were found; ${HINTS.noCredentials} [token server t.io: HTTP 401]`),
    ).to.equal(
      'authentication failed for r.io: no credentials were found; log in (docker login), set REGLENS_USERNAME/REGLENS_PASSWORD, or run `reglens registry add` [token server t.io: HTTP 401]',
    )
    expect(withCliHints(`r.io offers no repository catalog (…); ${HINTS.noCatalog}`)).to.equal(
      'r.io offers no repository catalog (…); name repositories directly (e.g. `reglens tags list HOST/REPO`)',
    )
  })
})

describe('library entry point', () => {
  it('names its public API: no wholesale re-exports, helpers stay internal', async () => {
    expect(readFileSync(join(SRC, 'index.ts'), 'utf8')).not.to.match(/export \*/)
    const api = await import('../../src/index.js')
    expect(api).to.include.keys(
      'RegistryClient',
      'endpointFromUrl',
      'listTags',
      'parseRepository',
      'defaultKeychain',
      'configCredentials',
      'planCleanup',
      'applyPlan',
      'scanImage',
    )
    expect(api).not.to.have.any.keys('checkPageSize', 'header', 'yamlProblem', 'parseLinkHeader', 'entryFor')
  })
})
