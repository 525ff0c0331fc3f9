import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {notFound} from '../../src/cleanup/collect.js'
import {CLEANUP_HINTS, CLEANUP_SETTINGS} from '../../src/cleanup/hints.js'
import {PLAN_KIND, PLAN_VERSION, type Plan} from '../../src/cleanup/plan.js'
import {checkPlanRegistry, savePlan} from '../../src/cleanup/plan-file.js'
import {withCliHints} from '../../src/cli/hints.js'
import {UsageError} from '../../src/errors.js'
import {GC_SETTINGS} from '../../src/gc/hints.js'
import {readStorage} from '../../src/gc/storage.js'
import {SCAN_HINTS, SCAN_SETTINGS} from '../../src/scan/hints.js'
import {HINTS, SETTINGS} from '../../src/registry/hints.js'
import {errorFromBody, errorFromNetwork} from '../../src/registry/transport/errors.js'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

/** The library's directories: what they say names no application. */
const LIBRARY = ['registry', 'cleanup', 'gc', 'scan', 'image']

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

  /**
   * Flags a library file may name on purpose: cleanup rules are named as the user wrote them (the flag on
   * the command line, the key in a policy file: ruleName in src/cleanup/policy.ts).
   */
  const NAMED_ON_PURPOSE: Record<string, string[]> = {
    'cleanup/policy.ts': [
      '--match',
      '--keep',
      '--keep-last',
      '--keep-last-tags',
      '--keep-semver-latest',
      '--older-than',
      '--delete-undated',
      '--orphans',
      '--keep-digests-from',
    ],
    // The registry's own `garbage-collect` command, which the gc instructions tell an operator to run.
    'gc/instructions.ts': ['--dry-run', '--delete-untagged'],
    // Arguments of the trivy and grype binaries.
    'scan/backends/external.ts': ['--format', '--quiet', '--image-src', '--platform'],
  }

  /** `file:line match` for each match of `pattern` in the code (not the comments) of the library directories, less those allowed per file. */
  function namedInLibraryCode(pattern: RegExp, allowed: Record<string, string[]> = {}): string[] {
    return LIBRARY.flatMap((area) => sourceFiles(join(SRC, area))).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.replace(/^\s*(\/\/|\/?\*).*$/, '').replace(/\s\/\/\s.*$/, ''))
        .flatMap((code, index) =>
          [...code.matchAll(pattern)]
            .filter((match) => !(allowed[relative(SRC, file)] ?? []).includes(match[0]))
            .map((match) => `${relative(SRC, file)}:${index + 1} ${match[0]}`),
        ),
    )
  }

  it('library code names no CLI flag (comments may): messages use hints and settings the CLI replaces', () => {
    expect(namedInLibraryCode(/--[a-z][a-z-]+/g, NAMED_ON_PURPOSE)).to.deep.equal([])
  })

  it('library code names no reglens command (comments may)', () => {
    expect(namedInLibraryCode(/reglens [a-z]+ [a-z]+( [a-z]+)?/g)).to.deep.equal([])
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

describe('library wording on the command line', () => {
  it('cleanup hints and settings name no CLI flag; the CLI lines are those image delete printed before', () => {
    for (const phrase of [...Object.values(CLEANUP_HINTS), ...Object.values(CLEANUP_SETTINGS)]) expect(phrase).not.to.match(/--|reglens /)
    const missing = notFound('r.io', ['r.io/a:1'])
    expect(missing.details.hint).to.equal('ignoreMissing')
    expect(missing.message).not.to.contain('--')
    expect(withCliHints(missing.message)).to.equal('r.io/a:1 not found on r.io (pass --ignore-missing to treat it as already deleted)')
    const plan = {kind: PLAN_KIND, version: PLAN_VERSION, registry: 'mirror.io', createdAt: '', items: []} as Plan
    expect(() => checkPlanRegistry(plan, 'p.json', 'r.io')).to.throw(UsageError, /^(?!.*--)/)
    try {
      checkPlanRegistry(plan, 'p.json', 'r.io')
    } catch (error) {
      expect(withCliHints((error as Error).message)).to.match(/ \(drop --registry and REGLENS_REGISTRY to use the plan's\)$/)
    }
    try {
      savePlan('/nonexistent-dir/plan.json', plan)
      expect.fail('saved')
    } catch (error) {
      expect(withCliHints((error as Error).message)).to.equal('--save-plan /nonexistent-dir/plan.json: cannot write the plan (ENOENT)')
    }
    expect(
      withCliHints(
        `r.io/a:1 now points at placeholder sha256:0f, which could not be deleted (x); ${CLEANUP_HINTS.deletePlaceholder} r.io/a@sha256:0f`,
      ),
    ).to.equal(
      'r.io/a:1 now points at placeholder sha256:0f, which could not be deleted (x); delete it with: reglens image delete r.io/a@sha256:0f --yes',
    )
    expect(withCliHints(`also on sha256:0f (${CLEANUP_SETTINGS.force})`)).to.equal('also on sha256:0f (--force)')
  })
})

describe('gc wording on the command line', () => {
  it('gc settings name no CLI flag; the CLI line names --storage as before', async () => {
    for (const phrase of Object.values(GC_SETTINGS)) expect(phrase).not.to.match(/--|reglens /)
    const error = await readStorage('/nonexistent/registry').then(
      () => expect.fail('read'),
      (thrown: Error) => thrown,
    )
    expect(error.message).not.to.contain('--')
    expect(withCliHints(error.message)).to.equal(
      "--storage /nonexistent/registry: no registry storage there (expected /nonexistent/registry/docker/registry/v2; give the filesystem driver's rootdirectory, e.g. /var/lib/registry)",
    )
  })
})

describe('scan wording on the command line', () => {
  it('scan hints and settings name no CLI flag or command; the CLI lines are those scan printed before', () => {
    for (const phrase of [...Object.values(SCAN_HINTS), ...Object.values(SCAN_SETTINGS)]) expect(phrase).not.to.match(/--|reglens /)
    expect(withCliHints(`no vulnerability database in /c: ${SCAN_HINTS.noDatabase}`)).to.equal(
      'no vulnerability database in /c: run `reglens scan db update` (or `scan db update --dir PATH` offline)',
    )
    expect(
      withCliHints(
        `r.io/a:1 has several platforms and none is linux/amd64; choose one with ${SCAN_SETTINGS.platform} (available: linux/s390x)`,
      ),
    ).to.equal('r.io/a:1 has several platforms and none is linux/amd64; choose one with --platform (available: linux/s390x)')
    expect(
      withCliHints(
        `layer sha256:0f is zstd-compressed and this Node v20.19.0 has no zstd support (Node >= 22.15 has it); ${SCAN_HINTS.externalScanner}`,
      ),
    ).to.match(/; use --scanner trivy or grype$/)
    expect(withCliHints(`Rocky Linux packages were not checked (${SCAN_HINTS.fetchEcosystem} 'Rocky Linux')`)).to.equal(
      "Rocky Linux packages were not checked (run `reglens scan db update --ecosystems 'Rocky Linux'`)",
    )
    expect(withCliHints(`npm packages were not checked (${SCAN_HINTS.fetchEcosystem} npm)`)).to.equal(
      'npm packages were not checked (run `reglens scan db update --ecosystems npm`)',
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
