import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {tarLayer} from '../../../src/devtools/images.js'
import {foldLayers} from '../../../src/scan/inventory/fold.js'
import {readLayerChanges} from '../../../src/scan/inventory/layer.js'
import type {Distro, InstalledPackage} from '../../../src/scan/inventory/types.js'
import {findingsFor} from '../../../src/scan/match.js'
import {Database} from '../../../src/scan/osv/store.js'
import {importDirectory} from '../../../src/scan/osv/update.js'
import {rpmEcosystemOf} from '../../../src/scan/rpm/ecosystem.js'
import {rpmLayerFile} from '../../../src/scan/rpm/record.js'
import {readSqliteBlobs} from '../../../src/scan/rpm/sqlite.js'
import {purlOf} from '../../../src/scan/sbom.js'
import {buildNdbPackages, buildRpmDatabase} from '../../helpers/rpm.js'

const LAYER = `sha256:${'1'.repeat(64)}` as const
const ROCKY = 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n'

async function inventoryOf(files: Record<string, string | Buffer>) {
  const layer = await tarLayer(files)
  const changes = await readLayerChanges(Readable.from([layer]), 'application/vnd.oci.image.layer.v1.tar+gzip', LAYER)
  return foldLayers([{digest: LAYER, changes}])
}

describe('rpm packages in image inventories', () => {
  let root: string
  let sqlite: Buffer

  before(() => {
    root = buildRpmDatabase([
      {name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64'},
      {name: 'bash', version: '5.1.8', release: '6.el9'},
    ])
    sqlite = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'))
  })

  after(() => rmSync(dirname(root), {recursive: true, force: true}))

  it('lists the packages of an rpmdb.sqlite in a layer with epoch:version-release, arch and source rpm', async () => {
    const inventory = await inventoryOf({'etc/os-release': ROCKY, 'usr/lib/sysimage/rpm/rpmdb.sqlite': sqlite})
    expect(inventory.distro?.id).to.equal('rocky')
    expect(inventory.unchecked).to.deep.equal([])
    expect(
      inventory.packages
        .map(({type, name, version, arch, source, path}) => ({type, name, version, arch, source, path}))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).to.deep.equal([
      {
        type: 'rpm',
        name: 'bash',
        version: '5.1.8-6.el9',
        arch: 'noarch',
        source: {name: 'bash', version: '5.1.8-6.el9'},
        path: 'usr/lib/sysimage/rpm/rpmdb.sqlite',
      },
      {
        type: 'rpm',
        name: 'openssl-libs',
        version: '1:3.0.7-24.el9',
        arch: 'x86_64',
        source: {name: 'openssl-libs', version: '3.0.7-24.el9'},
        path: 'usr/lib/sysimage/rpm/rpmdb.sqlite',
      },
    ])
  })

  it('reports a database it cannot read as not checked instead of reporting no packages in silence', async () => {
    const inventory = await inventoryOf({'etc/os-release': ROCKY, 'var/lib/rpm/Packages': Buffer.alloc(8192, 7)})
    expect(inventory.packages).to.deep.equal([])
    expect(inventory.unchecked).to.deep.equal([
      {path: 'var/lib/rpm/Packages', layer: LAYER, reason: 'not a Berkeley DB hash file (bad magic number); its packages were not listed'},
    ])
  })

  it('parses a large rpm database in the heap-capped worker, not in the main thread', async () => {
    // The built module: a worker started from the sources would have no TypeScript loader.
    const built = new URL('../../../dist/scan/inventory/parse-large.js', import.meta.url).href
    const {parseBounded} = (await import(built)) as typeof import('../../../src/scan/inventory/parse-large.js')
    const [blob] = (await readSqliteBlobs(sqlite)).blobs
    const copies = Math.ceil((1.5 * 2 ** 20) / blob.length)
    const ndb = () => buildNdbPackages(Array.from({length: copies}, () => blob))
    expect(ndb().length).to.be.greaterThan(2 ** 20)
    const parsed = await parseBounded('rpm-database', 'usr/lib/sysimage/rpm/Packages.db', ndb())
    expect(parsed.kind === 'packages' && parsed.records.length, JSON.stringify(parsed).slice(0, 200)).to.equal(copies)
    // Proof of where it ran: in a worker whose heap cannot even start, the database is left unread.
    expect(await parseBounded('rpm-database', 'usr/lib/sysimage/rpm/Packages.db', ndb(), 1)).to.deep.equal({
      kind: 'unread',
      reason: 'needs more than 1 MiB to parse, not read',
    })
  })

  it('keeps the packages of a database with unreadable records, lists the skipped records as not checked, and drops gpg-pubkey', () => {
    const file = rpmLayerFile({
      packages: [
        {name: 'bash', version: '5.1.8', release: '6.el9', arch: 'x86_64'},
        {name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b'},
      ],
      skipped: 2,
    })
    const inventory = foldLayers([
      {digest: LAYER, changes: {files: {'var/lib/rpm/Packages': file}, symlinks: {}, whiteouts: [], opaque: [], limits: []}},
    ])
    expect(inventory.packages.map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch}`)).to.deep.equal(['bash 5.1.8-6.el9 x86_64'])
    expect(inventory.unchecked).to.deep.equal([
      {path: 'var/lib/rpm/Packages', layer: LAYER, reason: '2 unreadable package records skipped'},
    ])
  })

  it('gives rpm packages a purl with version-release, epoch and arch qualifiers', () => {
    const pkg: InstalledPackage = {
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:3.0.7-24.el9',
      arch: 'x86_64',
      layer: LAYER,
      path: 'var/lib/rpm/rpmdb.sqlite',
    }
    expect(purlOf(pkg, {id: 'rocky', versionId: '9.3'})).to.equal(
      'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1',
    )
  })
})

describe('OSV ecosystems of RPM distributions', () => {
  const releases = (distro: Distro, candidates: string[]) => {
    const ecosystem = rpmEcosystemOf(distro)
    return {base: ecosystem?.base, matching: candidates.filter((release) => ecosystem?.matchesRelease(release))}
  }

  it('maps os-release to the ecosystem and the releases OSV names for it', () => {
    expect(releases({id: 'rocky', versionId: '9.3'}, ['9', '8', '9.3'])).to.deep.equal({base: 'Rocky Linux', matching: ['9']})
    expect(releases({id: 'almalinux', versionId: '8.10'}, ['8', '9'])).to.deep.equal({base: 'AlmaLinux', matching: ['8']})
    expect(
      releases({id: 'rhel', versionId: '9.4'}, [
        'enterprise_linux:9::appstream',
        'enterprise_linux:9::baseos',
        'enterprise_linux:8::baseos',
        'rhel_eus:9.2::appstream',
        'enterprise_linux:9',
      ]),
    ).to.deep.equal({
      base: 'Red Hat',
      matching: ['enterprise_linux:9::appstream', 'enterprise_linux:9::baseos', 'enterprise_linux:9'],
    })
    expect(
      releases({id: 'opensuse-leap', versionId: '15.6', prettyName: 'openSUSE Leap 15.6'}, [
        'Leap 15.6',
        'Leap 15.6 NonFree',
        'Leap 15.5',
        'Tumbleweed',
      ]),
    ).to.deep.equal({base: 'openSUSE', matching: ['Leap 15.6', 'Leap 15.6 NonFree']})
    expect(
      releases({id: 'opensuse-tumbleweed', versionId: '20240801', prettyName: 'openSUSE Tumbleweed'}, ['Tumbleweed', 'Leap 15.6']),
    ).to.deep.equal({base: 'openSUSE', matching: ['Tumbleweed']})
    expect(
      releases({id: 'sles', versionId: '15.5', prettyName: 'SUSE Linux Enterprise Server 15 SP5'}, [
        'Linux Enterprise Server 15 SP5',
        'Linux Enterprise Module for Basesystem 15 SP5',
        'Linux Enterprise Server 15 SP4',
        'Linux Enterprise Micro 5.5',
      ]),
    ).to.deep.equal({base: 'SUSE', matching: ['Linux Enterprise Server 15 SP5', 'Linux Enterprise Module for Basesystem 15 SP5']})
    expect(releases({id: 'azurelinux', versionId: '3.0', prettyName: 'Microsoft Azure Linux 3.0'}, ['3', '3.0', '2'])).to.deep.equal({
      base: 'Azure Linux',
      matching: ['3'],
    })
    expect(releases({id: 'mariner', versionId: '2.0', prettyName: 'CBL-Mariner/Linux'}, ['3', '2', '2.0'])).to.deep.equal({
      base: 'Azure Linux',
      matching: ['2'],
    })
    const euler = ['22.03-LTS-SP4', '22.03-LTS-SP3', '22.03-LTS', '24.03-LTS', '22.03']
    expect(releases({id: 'openEuler', versionId: '22.03', prettyName: 'openEuler 22.03 (LTS-SP4)'}, euler)).to.deep.equal({
      base: 'openEuler',
      matching: ['22.03-LTS-SP4'],
    })
    expect(releases({id: 'openEuler', versionId: '24.03', prettyName: 'openEuler 24.03 (LTS)'}, euler).matching).to.deep.equal([
      '24.03-LTS',
    ])
    // An innovation release (no LTS) has no advisories of its own, and one without PRETTY_NAME cannot be placed.
    expect(releases({id: 'openEuler', versionId: '23.09', prettyName: 'openEuler 23.09'}, euler).matching).to.deep.equal([])
    expect(releases({id: 'openEuler', versionId: '22.03'}, euler).matching).to.deep.equal([])
    expect(rpmEcosystemOf({id: 'fedora', versionId: '40'})).to.equal(undefined)
    expect(rpmEcosystemOf({id: 'amzn', versionId: '2023'})).to.equal(undefined)
  })
})

describe('matching rpm packages against OSV advisories', () => {
  let work: string
  let database: Database
  const advisory = (id: string, ecosystem: string, name: string, fixed: string) => ({
    id,
    summary: id,
    affected: [{package: {ecosystem, name}, ranges: [{type: 'ECOSYSTEM', events: [{introduced: '0'}, {fixed}]}]}],
  })

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'reglens-rpm-osv-'))
    const source = join(work, 'osv')
    await mkdir(source)
    const entries = [
      advisory('RLSA-1', 'Rocky Linux:9', 'openssl-libs', '1:3.0.7-25.el9'), // above the installed 1:3.0.7-24.el9
      advisory('RLSA-2', 'Rocky Linux:9', 'openssl-libs', '3.0.8-1.el9'), // no epoch: epoch 0 < 1, already fixed
      advisory('RLSA-3', 'Rocky Linux:8', 'openssl-libs', '1:9.9-1.el8'), // another release
      advisory('RLSA-4', 'Rocky Linux:9', 'openssl', '1:3.0.7-24.el9_1'), // by source name, above
      advisory('RLSA-5', 'Rocky Linux:9', 'openssl', '1:3.0.7-24.el9~beta'), // tilde: below the installed release
      advisory('RHSA-1', 'Red Hat:enterprise_linux:9::baseos', 'openssl-libs', '1:3.0.7-27.el9'),
      // Maven: an ecosystem reglens has no version order for.
      advisory('MVN-1', 'Maven', 'org.example:mod', '1.0.0'),
      advisory('MVN-2', 'Maven', 'org.example:other', '1.0.0'),
    ]
    for (const entry of entries) await writeFile(join(source, `${entry.id}.json`), JSON.stringify(entry))
    const imported = await importDirectory(join(work, 'db'), source)
    expect(imported.skipped).to.deep.equal({Maven: 2})
    database = new Database(join(work, 'db'))
  })

  after(() => rm(work, {recursive: true, force: true}))

  const pkg: InstalledPackage = {
    type: 'rpm',
    name: 'openssl-libs',
    version: '1:3.0.7-24.el9',
    arch: 'x86_64',
    source: {name: 'openssl', version: '3.0.7-24.el9'},
    layer: LAYER,
    path: 'var/lib/rpm/rpmdb.sqlite',
  }

  it('finds exactly the advisories of the image release whose fixed version is above the installed one, by binary or source name', async () => {
    const findings = await findingsFor(pkg, {id: 'rocky', versionId: '9.3'}, database)
    expect(findings.map((f) => `${f.id} ${f.fixedVersion}`).sort()).to.deep.equal(['RLSA-1 1:3.0.7-25.el9', 'RLSA-4 1:3.0.7-24.el9_1'])
    expect(findings.every((f) => f.type === 'rpm' && f.package === 'openssl-libs')).to.equal(true)
  })

  it('uses the Red Hat CPE streams for RHEL and nothing for a distribution OSV does not cover', async () => {
    expect((await findingsFor(pkg, {id: 'rhel', versionId: '9.4'}, database)).map((f) => f.id)).to.deep.equal(['RHSA-1'])
    expect(await findingsFor(pkg, {id: 'fedora', versionId: '40'}, database)).to.deep.equal([])
  })

  it('still refuses a directory holding only advisories it cannot match, naming what it skipped', async () => {
    const only = join(work, 'only-maven')
    await mkdir(only)
    await writeFile(join(only, 'MVN-1.json'), JSON.stringify(advisory('MVN-1', 'Maven', 'org.example:mod', '1.0.0')))
    try {
      await importDirectory(join(work, 'db'), only)
      expect.fail('import succeeded')
    } catch (error) {
      expect((error as Error).message).to.equal(
        `no OSV advisories under ${only} (expected *.json files or *.zip archives of a supported ecosystem) (skipped, unsupported ecosystems: Maven (1)); nothing was imported`,
      )
    }
  })
})
