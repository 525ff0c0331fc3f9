import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {withCliHints} from '../../src/cli/hints.js'
import {HINTS} from '../../src/registry/hints.js'
import {errorFromNetwork} from '../../src/registry/transport/errors.js'

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

describe('thin commands', () => {
  it('every command file is at most 100 lines: flags, one library call, one renderer', () => {
    const long = sourceFiles(join(SRC, 'commands'))
      .map((file) => ({file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1}))
      .filter((entry) => entry.lines > 100)
    expect(long).to.deep.equal([])
  })

  it('the libraries under them import nothing from cli or commands', () => {
    const upward = ['image', 'gc', 'cleanup', 'scan', 'report'].flatMap((directory) =>
      sourceFiles(join(SRC, directory)).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
          .map((match) => relative(SRC, join(file, '..', match[1])))
          .filter((target) => /^(cli|commands)\//.test(target))
          .map((target) => `${relative(SRC, file)} -> ${target}`),
      ),
    )
    expect(upward).to.deep.equal([])
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
