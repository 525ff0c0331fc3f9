import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'

import * as CDX from '@cyclonedx/cyclonedx-library'
import {expect} from 'chai'

import {type BuiltImage, buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {digestOf} from '../../src/registry/digest.js'
import {parseRepository} from '../../src/registry/reference.js'
import type {ScanResult} from '../../src/scan/report/result.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'
import {advisoryDirectory, alpineLayers, type DebianFacts, debianFacts, debianLayers, pythonLayers} from '../helpers/scan-fixtures.js'

/** One line per finding: id, package, installed, fixed, severity and the index of the layer it came from. */
function lines(result: ScanResult, image: BuiltImage): string[] {
  return result.details
    .map(
      (d) =>
        `${d.id} ${d.package} ${d.installedVersion} ${d.fixedVersion || '-'} ${d.severity} L${image.layers.findIndex((layer) => layer.digest === d.layer)}`,
    )
    .sort()
}

describe('scan with the builtin backend against the real registry', function () {
  this.timeout(120_000)
  const env = useRegistry()
  const other = useRegistry()
  let cache: string
  let facts: DebianFacts
  let debian: BuiltImage
  let alpine: BuiltImage
  let python: BuiltImage
  const cli = (args: string[]) => runCli(args, {env: {XDG_CACHE_HOME: cache}})

  before(async () => {
    cache = await mkdtemp(join(tmpdir(), 'reglens-scan-cache-'))
    facts = await debianFacts()
    const advisories = await advisoryDirectory(facts)
    const imported = await cli(['scan', 'db', 'update', '--dir', advisories, '--json'])
    await rm(advisories, {recursive: true, force: true})
    expect(imported.code, imported.stderr).to.equal(0)
    debian = await buildImage({layers: debianLayers(facts)})
    alpine = await buildImage({format: 'docker', layers: alpineLayers()})
    python = await buildImage({layers: pythonLayers()})
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/debian`), debian, '12')
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/alpine`), alpine, '3.19')
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/python`), python, '1')
    await pushImage(other.client, parseRepository(`${other.registry.host}/scan/debian`), debian, '12')
  })
  after(() => rm(cache, {recursive: true, force: true}))

  it('reports exactly the expected Debian, npm and Python findings, each in the layer that installed the package', async () => {
    const run = await cli(['scan', `${env.registry.host}/scan/debian:12`, '--scanner', 'builtin', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout) as ScanResult
    expect(facts.glibcBinaries).to.include('libc6')
    const expected = [
      ...facts.glibcBinaries.map((name) => `DEBIAN-TEST-GLIBC ${name} ${facts.glibcVersion} ${facts.glibcVersion}+reglens1 high L0`),
      `DEBIAN-TEST-BASH bash ${facts.bashVersion} - low L0`,
      'DEBIAN-TEST-SRC2 reglens-demo2 3.0-1 3.0-2 low L1',
      'PYSEC-TEST-REQUESTS requests 2.19.0 2.20.0 medium L1',
      'PYSEC-TEST-DJANGO Django 4.2rc1 4.2 low L1',
      'GHSA-test-mini-mist minimist 1.2.5 1.2.6 critical L2',
      'GHSA-test-babe-ltrv @babel/traverse 7.22.0 7.23.2 critical L2',
      'GHSA-test-ms00-list ms 2.0.0 - low L2',
    ].sort()
    expect(lines(result, debian)).to.deep.equal(expected)
    expect(result).to.include({
      scanner: 'builtin',
      registry: env.registry.host,
      repository: 'scan/debian',
      reference: '12',
      digest: debian.manifest.digest,
      imageDigest: debian.manifest.digest,
      platform: 'linux/amd64',
    })
    const glibc = facts.glibcBinaries.length
    expect({
      total: result.total,
      critical: result.critical,
      high: result.high,
      medium: result.medium,
      low: result.low,
      unknown: result.unknown,
    }).to.deep.equal({total: glibc + 7, critical: 2, high: glibc, medium: 1, low: 4, unknown: 0})
    expect(result.layers.map((layer) => [layer.digest, layer.total, layer.critical, layer.high, layer.medium, layer.low])).to.deep.equal([
      [debian.layers[0].digest, glibc + 1, 0, glibc, 0, 1],
      [debian.layers[1].digest, 3, 0, 0, 1, 2],
      [debian.layers[2].digest, 3, 2, 0, 0, 1],
    ])
    expect(result.details[0].severity).to.equal('critical')
    expect(result.warnings).to.deep.equal([])
  })

  it('reports the Alpine findings by origin package, with the upgrade and the removal of a later layer applied', async () => {
    const run = await cli(['scan', `${env.registry.host}/scan/alpine:3.19`, '--scanner', 'builtin', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout) as ScanResult
    expect(lines(result, alpine)).to.deep.equal([
      'ALPINE-TEST-1 libcrypto3 3.1.4-r1 3.1.4-r5 critical L0',
      'ALPINE-TEST-1 libssl3 3.1.4-r1 3.1.4-r5 critical L0',
      'ALPINE-TEST-5 musl 1.2.4-r2 1.2.4_git20230717-r5 medium L0',
    ])
    expect(result.layers.map((layer) => layer.total)).to.deep.equal([3, 0])
  })

  it('prints the same findings as a table: per-layer counts and one row per finding', async () => {
    const run = await cli(['scan', `${env.registry.host}/scan/alpine:3.19`, '--scanner', 'builtin'])
    expect(run.code, run.stderr).to.equal(0)
    const out = run.stdout.split('\n')
    expect(out[1]).to.equal('Total: 3 (critical 2, high 0, medium 1, low 0, unknown 0)')
    expect(out.find((line) => line.startsWith(alpine.layers[0].digest.slice(7, 19)))?.split(/\s+/)).to.deep.equal([
      alpine.layers[0].digest.slice(7, 19),
      '3',
      '2',
      '0',
      '1',
      '0',
      '0',
    ])
    const rows = out
      .filter((line) => /^(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN) /.test(line))
      .map((line) => line.split(/\s+/).slice(0, 5).join(' '))
    expect(rows).to.deep.equal([
      'CRITICAL ALPINE-TEST-1 libcrypto3 3.1.4-r1 3.1.4-r5',
      'CRITICAL ALPINE-TEST-1 libssl3 3.1.4-r1 3.1.4-r5',
      'MEDIUM ALPINE-TEST-5 musl 1.2.4-r2 1.2.4_git20230717-r5',
    ])
  })

  it('prints SARIF 2.1.0 with one rule per advisory and one result per affected package', async () => {
    const run = await cli(['scan', `${env.registry.host}/scan/alpine:3.19`, '--scanner', 'builtin', '--sarif'])
    expect(run.code, run.stderr).to.equal(0)
    const sarif = JSON.parse(run.stdout)
    expect(sarif.version).to.equal('2.1.0')
    const [scanRun] = sarif.runs
    expect(
      scanRun.tool.driver.rules.map((rule: {id: string; properties: Record<string, unknown>}) => [
        rule.id,
        rule.properties['security-severity'],
      ]),
    ).to.deep.equal([
      ['ALPINE-TEST-1', '9.5'],
      ['ALPINE-TEST-5', '5.5'],
    ])
    expect(
      scanRun.results.map((result: {ruleId: string; ruleIndex: number; level: string; properties: {package: string; layer: string}}) => [
        result.ruleId,
        result.ruleIndex,
        result.level,
        result.properties.package,
        result.properties.layer,
      ]),
    ).to.deep.equal([
      ['ALPINE-TEST-1', 0, 'error', 'libcrypto3', alpine.layers[0].digest],
      ['ALPINE-TEST-1', 0, 'error', 'libssl3', alpine.layers[0].digest],
      ['ALPINE-TEST-5', 1, 'warning', 'musl', alpine.layers[0].digest],
    ])
    expect(scanRun.results[0].locations[0].physicalLocation.artifactLocation.uri).to.equal(
      `${env.registry.host}/scan/alpine@${alpine.manifest.digest}`,
    )
  })

  it('--fail-on exits 14 exactly when a finding at or above the threshold exists, after printing the report', async () => {
    const ref = `${env.registry.host}/scan/python:1`
    const high = await cli(['scan', ref, '--scanner', 'builtin', '--fail-on', 'high', '--json'])
    expect(high.code, high.stderr).to.equal(0)
    expect(JSON.parse(high.stdout)).to.include({total: 2, medium: 1, low: 1})
    const medium = await cli(['scan', ref, '--scanner', 'builtin', '--fail-on', 'medium', '--json'])
    expect(medium.code).to.equal(14)
    expect(JSON.parse(medium.stdout).total).to.equal(2)
    expect(medium.stderr.trim().split('\n')).to.deep.equal([
      `reglens: 1 vulnerability at or above medium in ${env.registry.host}/scan/python@${python.manifest.digest} (--fail-on medium)`,
    ])
    expect((await cli(['scan', ref, '--scanner', 'builtin', '--fail-on', 'low', '--json'])).code).to.equal(14)
    expect(
      (await cli(['scan', `${env.registry.host}/scan/alpine:3.19`, '--scanner', 'builtin', '--fail-on', 'high', '--json'])).code,
    ).to.equal(14)
    expect(
      (await cli(['scan', `${env.registry.host}/scan/alpine:3.19`, '--scanner', 'builtin', '--fail-on', 'critical', '--json'])).code,
    ).to.equal(14)
    expect((await cli(['scan', ref, '--scanner', 'builtin', '--fail-on', 'severe'])).code).to.equal(2)
  })

  it("--cached returns the stored result of the same registry, never another registry's for the same name", async () => {
    const first = JSON.parse(
      (await cli(['scan', `${env.registry.host}/scan/debian:12`, '--scanner', 'builtin', '--json'])).stdout,
    ) as ScanResult
    const again = await cli(['scan', `${env.registry.host}/scan/debian:12`, '--scanner', 'builtin', '--json', '--cached'])
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stderr).to.include(`stored result from ${first.scannedAt}`)
    expect(JSON.parse(again.stdout)).to.deep.equal(first)
    const elsewhere = await cli(['scan', `${other.registry.host}/scan/debian:12`, '--scanner', 'builtin', '--json', '--cached'])
    expect(elsewhere.code, elsewhere.stderr).to.equal(0)
    expect(elsewhere.stderr).to.not.include('stored result')
    const result = JSON.parse(elsewhere.stdout) as ScanResult
    expect(result.registry).to.equal(other.registry.host)
    expect(result.total).to.equal(first.total)
  })

  it('--cached names the image asked for: the same image under another repository and tag is reported as that reference', async () => {
    const first = JSON.parse(
      (await cli(['scan', `${env.registry.host}/scan/debian:12`, '--scanner', 'builtin', '--json'])).stdout,
    ) as ScanResult
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/debian-copy`), debian, 'copy')
    const copy = await cli(['scan', `${env.registry.host}/scan/debian-copy:copy`, '--scanner', 'builtin', '--json', '--cached'])
    expect(copy.code, copy.stderr).to.equal(0)
    expect(copy.stderr).to.include(`stored result from ${first.scannedAt}`)
    expect(JSON.parse(copy.stdout)).to.deep.equal({...first, repository: 'scan/debian-copy', reference: 'copy'})
  })

  it('warns when the database lacks an ecosystem the image needs, and fails without a database', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reglens-empty-cache-'))
    try {
      const none = await runCli(['scan', `${env.registry.host}/scan/python:1`, '--scanner', 'builtin'], {env: {XDG_CACHE_HOME: empty}})
      expect(none.code).to.equal(3)
      expect(none.stderr).to.match(/^reglens: no vulnerability database in .*: run `reglens scan db update`/)
      const npmOnly = await runCli(['scan', 'db', 'update', '--dir', join(process.cwd(), 'test/fixtures/osv/npm')], {
        env: {XDG_CACHE_HOME: empty},
      })
      expect(npmOnly.code, npmOnly.stderr).to.equal(0)
      const partial = await runCli(['scan', `${env.registry.host}/scan/python:1`, '--scanner', 'builtin', '--json'], {
        env: {XDG_CACHE_HOME: empty},
      })
      expect(JSON.parse(partial.stdout).warnings).to.deep.equal([
        'the database has no PyPI advisories: PyPI packages were not checked (run `reglens scan db update --ecosystems PyPI`)',
      ])
      expect(partial.stderr).to.include('warning: the database has no PyPI advisories')
    } finally {
      await rm(empty, {recursive: true, force: true})
    }
  })

  it('fails closed: --fail-on exits 14 when packages were found but not checked, unless --allow-unchecked; nothing to check passes', async () => {
    // An RPM image whose database cannot be read (a truncated SQLite file) next to an npm package that can be checked.
    const rocky = await buildImage({
      layers: [
        {
          'etc/os-release': 'ID="rocky"\nVERSION_ID="9.3"\n',
          'var/lib/rpm/rpmdb.sqlite': 'SQLite format 3\u0000',
          'app/node_modules/ms/package.json': '{"name":"ms","version":"2.1.3"}',
        },
      ],
    })
    const data = await buildImage({layers: [{'srv/data.csv': 'a,b\n1,2\n'}]})
    // A Debian derivative: its dpkg versions are not Debian's, so no Debian advisory may be matched against them.
    const derivative = await buildImage({
      layers: [
        {
          'etc/os-release': 'ID=raspbian\nVERSION_ID=12\n',
          'var/lib/dpkg/status': 'Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9\n',
        },
      ],
    })
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/rocky`), rocky, '9')
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/data`), data, '1')
    await pushImage(env.client, parseRepository(`${env.registry.host}/scan/derivative`), derivative, '1')
    const gate = await cli(['scan', `${env.registry.host}/scan/rocky:9`, '--scanner', 'builtin', '--json', '--fail-on', 'critical'])
    expect(gate.code, gate.stderr).to.equal(14)
    const result = JSON.parse(gate.stdout) as ScanResult
    expect(result.unchecked).to.deep.equal([
      {
        path: 'var/lib/rpm/rpmdb.sqlite',
        layer: rocky.layers[0].digest,
        reason: 'not a readable rpm sqlite database: file is not a database; its packages were not listed',
      },
    ])
    expect(result.warnings).to.deep.equal([
      `not checked: layer ${rocky.layers[0].digest.slice(7, 19)}: var/lib/rpm/rpmdb.sqlite: not a readable rpm sqlite database: file is not a database; its packages were not listed`,
    ])
    expect(gate.stderr).to.match(
      /^reglens: 1 item in .*scan\/rocky@sha256:[0-9a-f]{64} could not be checked \(listed above\): --fail-on critical cannot pass it \(--allow-unchecked accepts that\)$/m,
    )
    const table = await cli(['scan', `${env.registry.host}/scan/rocky:9`, '--scanner', 'builtin'])
    expect(table.code, table.stderr).to.equal(0)
    expect(table.stdout).to.include(
      `Not checked (1):\n  layer ${rocky.layers[0].digest.slice(7, 19)}: var/lib/rpm/rpmdb.sqlite: not a readable rpm sqlite database: file is not a database; its packages were not listed`,
    )
    expect(table.stderr).to.include('No known vulnerabilities found in what could be checked.')
    const allowed = await cli([
      'scan',
      `${env.registry.host}/scan/rocky:9`,
      '--scanner',
      'builtin',
      '--fail-on',
      'critical',
      '--allow-unchecked',
    ])
    expect(allowed.code, allowed.stderr).to.equal(0)
    const empty = await cli(['scan', `${env.registry.host}/scan/data:1`, '--scanner', 'builtin', '--json', '--fail-on', 'low'])
    expect(empty.code, empty.stderr).to.equal(0)
    expect(JSON.parse(empty.stdout)).to.include({total: 0}).and.to.have.property('unchecked').that.deep.equals([])
    const other = await cli(['scan', `${env.registry.host}/scan/derivative:1`, '--scanner', 'builtin', '--json', '--fail-on', 'critical'])
    expect(other.code, other.stderr).to.equal(14)
    expect((JSON.parse(other.stdout) as ScanResult).warnings).to.deep.equal([
      'no advisory data for deb packages of raspbian 12: 1 deb packages were not checked',
    ])
  })

  it('image sbom lists the final packages with their layer, source and purl, as JSON and CycloneDX', async () => {
    const run = await cli(['image', 'sbom', `${env.registry.host}/scan/alpine:3.19`, '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const sbom = JSON.parse(run.stdout)
    expect(sbom.distro).to.deep.equal({id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19'})
    expect(
      sbom.packages
        .map(
          (p: {name: string; version: string; layer: string; purl: string}) =>
            `${p.name} ${p.version} L${alpine.layers.findIndex((l) => l.digest === p.layer)} ${p.purl}`,
        )
        .sort(),
    ).to.deep.equal([
      'busybox 1.36.1-r16 L1 pkg:apk/alpine/busybox@1.36.1-r16?distro=alpine-3.19.1',
      'libcrypto3 3.1.4-r1 L0 pkg:apk/alpine/libcrypto3@3.1.4-r1?distro=alpine-3.19.1',
      'libssl3 3.1.4-r1 L0 pkg:apk/alpine/libssl3@3.1.4-r1?distro=alpine-3.19.1',
      'musl 1.2.4-r2 L0 pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.19.1',
    ])
    const bomText = (await cli(['image', 'sbom', `${env.registry.host}/scan/debian:12`, '--format', 'cyclonedx'])).stdout
    expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5).validate(bomText)).to.equal(null)
    const bom = JSON.parse(bomText)
    expect(bom).to.include({bomFormat: 'CycloneDX', specVersion: '1.5'})
    const purls = bom.components.map((c: {purl?: string}) => c.purl).filter(Boolean)
    expect(purls).to.include.members([
      'pkg:npm/%40babel/traverse@7.22.0',
      'pkg:pypi/django@4.2rc1',
      'pkg:deb/debian/reglens-demo@1.4-1?distro=debian-12',
    ])
    expect(
      purls.some((purl: string) => purl.includes('reglens-gone') || purl.includes('urllib3') || purl.includes('lodash@4.17.20')),
    ).to.equal(false)
  })

  it('scans the requested platform of an index; a missing tag is not-found; a named scanner not on PATH is a usage error', async () => {
    const repo = parseRepository(`${env.registry.host}/scan/multi`)
    const arm = await buildImage({platform: {os: 'linux', architecture: 'arm', variant: 'v7'}, layers: alpineLayers()})
    const s390 = await buildImage({platform: {os: 'linux', architecture: 's390x'}, layers: pythonLayers()})
    await pushIndex(env.client, repo, await buildIndex([arm, s390]), 'latest')
    const chosen = await cli(['scan', `${env.registry.host}/scan/multi`, '--scanner', 'builtin', '--platform', 'linux/arm/v7', '--json'])
    expect(chosen.code, chosen.stderr).to.equal(0)
    expect(JSON.parse(chosen.stdout)).to.include({platform: 'linux/arm/v7', imageDigest: arm.manifest.digest, total: 3})
    const ambiguous = await cli(['scan', `${env.registry.host}/scan/multi`, '--scanner', 'builtin'])
    expect(ambiguous.code).to.equal(2)
    expect(ambiguous.stderr).to.match(
      /has several platforms and none is linux\/\w+; choose one with --platform \(available: linux\/arm\/v7, linux\/s390x\)/,
    )
    const missing = await cli(['scan', `${env.registry.host}/scan/debian:nope`, '--scanner', 'builtin'])
    expect(missing.code).to.equal(8)
    expect(missing.stderr.trim().split('\n')).to.have.length(1)
    const trivy = await cli(['scan', `${env.registry.host}/scan/debian:12`, '--scanner', 'trivy'])
    expect(trivy.code).to.equal(2)
    expect(trivy.stderr).to.include('--scanner trivy: no trivy binary on PATH')
  })

  it('runs trivy from PATH against the image by digest, over plain HTTP, with the credentials in its environment, and maps its report to the same shape', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'reglens-fake-trivy-'))
    try {
      const diffId = digestOf(gunzipSync(python.layers[0].bytes))
      const report = {
        SchemaVersion: 2,
        Results: [
          {
            Target: 'Python',
            Class: 'lang-pkgs',
            Type: 'python-pkg',
            Vulnerabilities: [
              {
                VulnerabilityID: 'CVE-2018-18074',
                PkgName: 'requests',
                InstalledVersion: '2.19.0',
                FixedVersion: '2.20.0',
                Layer: {DiffID: diffId},
                Title: 'python-requests: Redirect from HTTPS to HTTP does not remove Authorization header',
                Severity: 'HIGH',
              },
            ],
          },
        ],
      }
      await writeFile(join(bin, 'report.json'), JSON.stringify(report))
      await writeFile(
        join(bin, 'trivy'),
        `#!/bin/sh\necho "$* insecure=$TRIVY_INSECURE user=$TRIVY_USERNAME password=$TRIVY_PASSWORD" > "${join(bin, 'call.log')}"\ncat "${join(bin, 'report.json')}"\n`,
      )
      await chmod(join(bin, 'trivy'), 0o755)
      const run = await runCli(['scan', `${env.registry.host}/scan/python:1`, '--json', '--fail-on', 'high'], {
        env: {XDG_CACHE_HOME: cache, PATH: `${bin}:${process.env.PATH}`, REGLENS_USERNAME: 'ci', REGLENS_PASSWORD: 's3cret'},
      })
      expect(run.code).to.equal(14)
      const result = JSON.parse(run.stdout) as ScanResult
      expect(result).to.include({scanner: 'trivy', total: 1, high: 1, imageDigest: python.manifest.digest})
      expect(result.details).to.deep.equal([
        {
          id: 'CVE-2018-18074',
          package: 'requests',
          installedVersion: '2.19.0',
          fixedVersion: '2.20.0',
          severity: 'high',
          layer: python.layers[0].digest,
          title: 'python-requests: Redirect from HTTPS to HTTP does not remove Authorization header',
          type: 'python',
        },
      ])
      expect((await readFile(join(bin, 'call.log'), 'utf8')).trim()).to.equal(
        `image --format json --quiet --image-src remote ${env.registry.host}/scan/python@${python.manifest.digest} insecure=true user=ci password=s3cret`,
      )
    } finally {
      await rm(bin, {recursive: true, force: true})
    }
  })
})
