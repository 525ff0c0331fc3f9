import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import type {InstalledPackage} from '../../../src/scan/inventory/types.js'
import {findingsFor} from '../../../src/scan/match.js'
import {cvssBaseScore} from '../../../src/scan/osv/cvss.js'
import {entrySeverity} from '../../../src/scan/osv/entry-severity.js'
import {matchAffected} from '../../../src/scan/osv/ranges.js'
import {parseOsvEntry, type OsvAffected} from '../../../src/scan/osv/schema.js'
import {Database} from '../../../src/scan/osv/store.js'
import {importDirectory} from '../../../src/scan/osv/update.js'
import {compareDpkg, compareSemver} from '../../../src/scan/versions/index.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/osv', import.meta.url))
const LAYER = `sha256:${'a'.repeat(64)}` as const

function affected(events: OsvAffected['ranges'][0]['events'], versions: string[] = [], type = 'ECOSYSTEM'): OsvAffected {
  return {package: {ecosystem: 'Debian:12', name: 'x'}, ranges: events.length > 0 ? [{type, events}] : [], versions}
}

describe('OSV range evaluation', () => {
  it('is affected from introduced up to, not including, fixed', () => {
    const range = affected([{introduced: '1.0-1'}, {fixed: '1.0-3'}])
    expect(matchAffected(range, '0.9-1', compareDpkg)).to.equal(undefined)
    expect(matchAffected(range, '1.0-1', compareDpkg)).to.deep.equal({fixed: '1.0-3'})
    expect(matchAffected(range, '1.0-2+b1', compareDpkg)).to.deep.equal({fixed: '1.0-3'})
    expect(matchAffected(range, '1.0-3', compareDpkg)).to.equal(undefined)
  })

  it('handles several intervals in one range, in any event order, reporting the fix of the right interval', () => {
    const range = affected([{fixed: '2.5'}, {introduced: '2.0'}, {introduced: '0'}, {fixed: '1.5'}])
    expect(matchAffected(range, '1.0', compareDpkg)).to.deep.equal({fixed: '1.5'})
    expect(matchAffected(range, '1.7', compareDpkg)).to.equal(undefined)
    expect(matchAffected(range, '2.1', compareDpkg)).to.deep.equal({fixed: '2.5'})
    expect(matchAffected(range, '3.0', compareDpkg)).to.equal(undefined)
  })

  it('treats last_affected as inclusive and an open range as affecting everything after introduced', () => {
    expect(matchAffected(affected([{introduced: '0'}, {last_affected: '1.2'}]), '1.2', compareDpkg)).to.deep.equal({fixed: ''})
    expect(matchAffected(affected([{introduced: '0'}, {last_affected: '1.2'}]), '1.2.1', compareDpkg)).to.equal(undefined)
    expect(matchAffected(affected([{introduced: '1.0'}]), '99', compareDpkg)).to.deep.equal({fixed: ''})
  })

  it('matches listed versions exactly and compares SEMVER ranges as semver whatever the ecosystem', () => {
    expect(matchAffected(affected([], ['1.0-1']), '1.0-1', compareDpkg)).to.deep.equal({fixed: ''})
    expect(matchAffected(affected([], ['1.0-1']), '1.0-2', compareDpkg)).to.equal(undefined)
    const semverRange = affected([{introduced: '1.0.0-beta'}, {fixed: '1.10.0'}], [], 'SEMVER')
    expect(matchAffected(semverRange, '1.9.0', compareDpkg)).to.deep.equal({fixed: '1.10.0'})
  })

  it('ignores GIT ranges and treats versions outside the grammar as inconclusive, not as a crash', () => {
    expect(matchAffected(affected([{introduced: '0'}], [], 'GIT'), '1.0', compareDpkg)).to.equal(undefined)
    expect(matchAffected(affected([{introduced: '0'}, {fixed: 'zzz'}], [], 'SEMVER'), '1.0.0', compareSemver)).to.equal(undefined)
  })
})

describe('OSV severity', () => {
  it('computes CVSS v3.0, v3.1 and v4.0 base scores of known vectors', () => {
    expect(cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).to.equal(9.8)
    expect(cvssBaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N')).to.equal(5.3)
    expect(cvssBaseScore('CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N')).to.equal(1.8)
    expect(cvssBaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).to.equal(10)
    expect(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).to.equal(9.3)
    expect(cvssBaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).to.equal(undefined)
    expect(cvssBaseScore('CVSS:3.1/garbage')).to.equal(undefined)
  })

  it('prefers the database label, then the CVSS v3 rating, else unknown', () => {
    const entry = parseOsvEntry({
      id: 'X',
      affected: [],
      severity: [{type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'}],
      database_specific: {severity: 'MODERATE'},
    })
    expect(entrySeverity(entry!)).to.equal('medium')
    expect(entrySeverity({...entry!, databaseSeverity: undefined})).to.equal('high')
    expect(entrySeverity({...entry!, databaseSeverity: undefined, severity: []})).to.equal('unknown')
  })

  it('rejects documents that are not advisories and drops malformed affected entries', () => {
    expect(parseOsvEntry({hello: 1})).to.equal(undefined)
    expect(parseOsvEntry('x')).to.equal(undefined)
    const entry = parseOsvEntry({
      id: 'Y',
      affected: [
        {package: {ecosystem: 'npm'}},
        {package: {ecosystem: 'npm', name: 'a'}, ranges: [{type: 'SEMVER', events: [{introduced: '0', fixed: '1'}, {fixed: '2.0.0'}]}]},
      ],
    })
    expect(entry?.affected).to.deep.equal([
      {package: {ecosystem: 'npm', name: 'a'}, ranges: [{type: 'SEMVER', events: [{fixed: '2.0.0'}]}], versions: []},
    ])
  })
})

describe('OSV database import and matching', () => {
  let directory: string
  let database: Database

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reglens-osv-test-'))
    await importDirectory(directory, FIXTURES)
    database = new Database(directory)
  })
  after(() => rm(directory, {recursive: true, force: true}))

  const pkg = (type: InstalledPackage['type'], name: string, version: string, source?: InstalledPackage['source']): InstalledPackage => ({
    type,
    name,
    version,
    ...(source ? {source} : {}),
    layer: LAYER,
    path: 'p',
  })
  const ids = async (p: InstalledPackage, distro?: {id: string; versionId: string}) =>
    (await findingsFor(p, distro, database)).map(
      (f) => `${f.id} ${f.package} ${f.installedVersion} -> ${f.fixedVersion || '-'} ${f.severity}`,
    )

  it('records per-ecosystem counts, skipping withdrawn entries and non-advisories', async () => {
    const meta = await database.meta()
    expect(Object.keys(meta.ecosystems).sort()).to.deep.equal(['Alpine', 'Debian', 'PyPI', 'npm'])
    expect(meta.ecosystems.Debian).to.include({entries: 3, packages: 3})
    expect(meta.ecosystems.npm).to.include({entries: 5, packages: 5})
  })

  it('matches Debian binaries through their source package and source version, in the image release only', async () => {
    const debian12 = {id: 'debian', versionId: '12'}
    expect(await ids(pkg('deb', 'reglens-demo', '1.4-1', {name: 'reglens-src', version: '2:5.0-1'}), debian12)).to.deep.equal([])
    expect(await ids(pkg('deb', 'reglens-demo2', '3.0-1', {name: 'reglens-src2'}), debian12)).to.deep.equal([
      'DEBIAN-TEST-SRC2 reglens-demo2 3.0-1 -> 3.0-2 low',
    ])
    expect(await ids(pkg('deb', 'reglens-demo2', '3.0-1', {name: 'reglens-src2'}), {id: 'debian', versionId: '11'})).to.deep.equal([])
  })

  it('matches Alpine packages by origin within the v<major>.<minor> release', async () => {
    const alpine = {id: 'alpine', versionId: '3.19.1'}
    expect(await ids(pkg('apk', 'libssl3', '3.1.4-r1', {name: 'openssl'}), alpine)).to.deep.equal([
      'ALPINE-TEST-1 libssl3 3.1.4-r1 -> 3.1.4-r5 critical',
    ])
    expect(await ids(pkg('apk', 'musl', '1.2.4-r2', {name: 'musl'}), alpine)).to.deep.equal([
      'ALPINE-TEST-5 musl 1.2.4-r2 -> 1.2.4_git20230717-r5 medium',
    ])
    expect(await ids(pkg('apk', 'busybox', '1.36.1-r15', {name: 'busybox'}), alpine)).to.deep.equal([])
  })

  it('matches npm (scoped too) and PyPI packages with their own version order and PEP 503 names', async () => {
    expect(await ids(pkg('npm', '@babel/traverse', '7.22.0'))).to.deep.equal([
      'GHSA-test-babe-ltrv @babel/traverse 7.22.0 -> 7.23.2 critical',
    ])
    expect(await ids(pkg('npm', 'qs', '6.10.3'))).to.deep.equal([])
    expect(await ids(pkg('npm', 'ms', '2.0.0'))).to.deep.equal(['GHSA-test-ms00-list ms 2.0.0 -> - low'])
    expect(await ids(pkg('python', 'Django', '4.2rc1'))).to.deep.equal(['PYSEC-TEST-DJANGO Django 4.2rc1 -> 4.2 low'])
    expect(await ids(pkg('python', 'requests', '2.20.0'))).to.deep.equal([])
  })

  it('replaces an ecosystem wholesale on re-import, leaving the others', async () => {
    const other = await mkdtemp(join(tmpdir(), 'reglens-osv-test-'))
    try {
      await importDirectory(other, join(FIXTURES, 'npm'))
      await importDirectory(other, join(FIXTURES, 'npm'))
      const meta = await new Database(other).meta()
      expect(Object.keys(meta.ecosystems)).to.deep.equal(['npm'])
      expect(meta.ecosystems.npm.entries).to.equal(5)
    } finally {
      await rm(other, {recursive: true, force: true})
    }
  })
})
