import {readFileSync} from 'node:fs'
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {withCliHints} from '../../../src/cli/hints.js'
import {UsageError} from '../../../src/errors.js'
import {endpointFromUrl} from '../../../src/registry/endpoint.js'
import {externalRun, findOnPath, runExternal} from '../../../src/scan/backends/external.js'
import {parseGrypeReport} from '../../../src/scan/backends/grype-report.js'
import {parseTrivyReport} from '../../../src/scan/backends/trivy-report.js'
import {buildResult} from '../../../src/scan/report/result.js'
import {chooseScanner} from '../../../src/scan/scan.js'

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/reports/${name}`, import.meta.url)), 'utf8')
const LAYERS = [
  {digest: `sha256:1a7e${'0'.repeat(59)}1`, diffId: `sha256:d1ff${'0'.repeat(59)}1`},
  {digest: `sha256:1a7e${'0'.repeat(59)}2`, diffId: `sha256:d1ff${'0'.repeat(59)}2`},
]
const row = (d: {
  id: string
  package: string
  installedVersion: string
  fixedVersion: string
  severity: string
  layer: string
  type: string
  title: string
}) =>
  `${d.id} ${d.type}:${d.package} ${d.installedVersion} -> ${d.fixedVersion || '-'} ${d.severity} ${d.layer === '' ? '?' : `L${LAYERS.findIndex((layer) => layer.digest === d.layer)}`} | ${d.title}`

describe('trivy and grype reports', () => {
  it('maps a trivy report to the common shape, resolving layers by digest or diff_id and skipping malformed entries', () => {
    expect(parseTrivyReport(fixture('trivy.json'), LAYERS).map(row)).to.deep.equal([
      'CVE-2024-2961 deb:libc6 2.36-9+deb12u4 -> 2.36-9+deb12u7 high L0 | glibc: Out of bounds write in iconv may lead to remote code execution',
      'CVE-2011-3374 deb:apt 2.6.1 -> - low L0 | It was found that apt-key in apt, all versions, do not correctly validate gpg keys with the master keyring.',
      'CVE-2021-44906 npm:minimist 1.2.5 -> 1.2.6, 0.2.4 critical L1 | minimist: prototype pollution',
      'CVE-2023-32681 python:requests 2.19.0 -> 2.31.0 medium ? | python-requests: Unintended leak of Proxy-Authorization header',
    ])
  })

  it('maps a grype report, whose layer ids are diff_ids, and its Negligible severity to low', () => {
    expect(parseGrypeReport(fixture('grype.json'), LAYERS).map(row)).to.deep.equal([
      'CVE-2024-2961 deb:libc6 2.36-9+deb12u4 -> 2.36-9+deb12u7 high L0 | The iconv() function in the GNU C Library versions 2.39 and older may overflow the output buffer passed to it by up to 4 bytes.',
      'GHSA-xvch-5gv4-984h npm:minimist 1.2.5 -> 1.2.6, 0.2.4 critical L1 | Prototype Pollution in minimist',
      'CVE-2005-2541 deb:tar 1.34+dfsg-1.2 -> - low ? | ',
    ])
  })

  it('counts findings without a known layer in a separate layer entry', () => {
    const result = buildResult(
      {
        scanner: 'trivy',
        registry: 'r',
        repository: 'x',
        reference: 'v1',
        digest: 'd',
        imageDigest: 'd',
        platform: 'linux/amd64',
        scannedAt: 't',
        warnings: [],
        unchecked: [],
      },
      LAYERS.map((l) => l.digest),
      parseTrivyReport(fixture('trivy.json'), LAYERS),
    )
    expect(result.layers.map((layer) => [layer.digest === '' ? '?' : layer.digest.slice(-1), layer.total])).to.deep.equal([
      ['1', 2],
      ['2', 1],
      ['?', 1],
    ])
    expect(result).to.include({total: 4, critical: 1, high: 1, medium: 1, low: 1, unknown: 0})
  })

  it('rejects output that is not a report with one line', () => {
    expect(() => parseTrivyReport('FATAL error', LAYERS)).to.throw('trivy printed a report that is not JSON')
    expect(() => parseGrypeReport('{"source": {}}', LAYERS)).to.throw('grype report has no matches list')
  })
})

describe('running trivy and grype', () => {
  const credentials = {username: 'ci-user', password: 's3cret!'}

  it('passes credentials and insecure settings through the environment, never the command line', () => {
    const http = endpointFromUrl('http://127.0.0.1:5000')
    const trivy = externalRun('trivy', '/bin/trivy', http, '127.0.0.1:5000/app@sha256:abc', {credentials})
    expect(trivy.args).to.deep.equal(['image', '--format', 'json', '--quiet', '--image-src', 'remote', '127.0.0.1:5000/app@sha256:abc'])
    expect(trivy.env).to.deep.equal({TRIVY_USERNAME: 'ci-user', TRIVY_PASSWORD: 's3cret!', TRIVY_INSECURE: 'true'})
    const grype = externalRun('grype', '/bin/grype', http, '127.0.0.1:5000/app@sha256:abc', {credentials})
    expect(grype.args).to.deep.equal(['registry:127.0.0.1:5000/app@sha256:abc', '-o', 'json'])
    expect(grype.env).to.deep.equal({
      GRYPE_REGISTRY_AUTH_AUTHORITY: '127.0.0.1:5000',
      GRYPE_REGISTRY_AUTH_USERNAME: 'ci-user',
      GRYPE_REGISTRY_AUTH_PASSWORD: 's3cret!',
      GRYPE_REGISTRY_INSECURE_USE_HTTP: 'true',
    })
    for (const run of [trivy, grype]) expect(run.args.join(' ')).to.not.include('s3cret')
    const tls = endpointFromUrl('https://registry.example.com', {insecure: true})
    expect(externalRun('grype', 'g', tls, 'x').env).to.deep.equal({GRYPE_REGISTRY_INSECURE_SKIP_TLS_VERIFY: 'true'})
    expect(externalRun('trivy', 't', endpointFromUrl('https://registry.example.com'), 'x').env).to.deep.equal({})
  })

  it('finds scanners on PATH, prefers trivy for auto, and runs them, reporting a failure with its last stderr line', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'reglens-fake-scanners-'))
    try {
      expect(chooseScanner('auto', bin)).to.deep.equal({scanner: 'builtin'})
      await writeFile(join(bin, 'grype'), '#!/bin/sh\necho "{\\"matches\\": [], \\"user\\": \\"$GRYPE_REGISTRY_AUTH_USERNAME\\"}"\n')
      await chmod(join(bin, 'grype'), 0o755)
      expect(chooseScanner('auto', bin)).to.deep.equal({scanner: 'grype', binary: join(bin, 'grype')})
      await writeFile(join(bin, 'trivy'), '#!/bin/sh\necho "progress" >&2\necho "FATAL unable to pull" >&2\nexit 1\n')
      await chmod(join(bin, 'trivy'), 0o755)
      expect(chooseScanner('auto', bin).scanner).to.equal('trivy')
      expect(findOnPath('grype', `/nonexistent:${bin}`)).to.equal(join(bin, 'grype'))
      const output = await runExternal({command: join(bin, 'grype'), args: [], env: {GRYPE_REGISTRY_AUTH_USERNAME: 'ci-user'}})
      expect(JSON.parse(output)).to.deep.equal({matches: [], user: 'ci-user'})
      let message = ''
      await runExternal({command: join(bin, 'trivy'), args: [], env: {}}).catch((error: Error) => (message = error.message))
      expect(message).to.equal(`${join(bin, 'trivy')} exited with code 1: FATAL unable to pull`)
      expect(() => chooseScanner('grype', '/nonexistent')).to.throw(UsageError, /^scanner choice grype: no grype binary on PATH/)
      try {
        chooseScanner('grype', '/nonexistent')
      } catch (error) {
        expect(withCliHints((error as Error).message)).to.equal(
          '--scanner grype: no grype binary on PATH (install it, or use --scanner builtin)',
        )
      }
    } finally {
      await rm(bin, {recursive: true, force: true})
    }
  })
})
