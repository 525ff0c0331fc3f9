import {once} from 'node:events'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import type {ScanResult} from '../../src/scan/report/result.js'
import type {ImageSbom} from '../../src/scan/sbom.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'
import {zipOf} from '../helpers/zip.js'
import {buildRpmDatabase, type RpmSpec, rpmQueryAll} from '../helpers/rpm.js'

const ROCKY =
  'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n'

/** Installed packages chosen so that a wrong version order gives a wrong answer (each advisory below says which). */
const PACKAGES: RpmSpec[] = [
  {name: 'tilde', version: '1.0', release: '1~rc1.el9'},
  {name: 'epochal', epoch: 2, version: '1.0', release: '1.el9', arch: 'x86_64'},
  {name: 'numeric', version: '1.10', release: '1.el9'},
  {name: 'caret', version: '2.0^git5', release: '1.el9'},
  {name: 'zeroepoch', epoch: 0, version: '3.0', release: '1.el9'},
  {name: 'releases', version: '4.2', release: '10.el9'},
  {name: 'project', version: '7.0', release: '3.el9', subpackages: ['libproject', 'project-tools']},
]

interface Advisory {
  id: string
  ecosystem: string
  name: string
  fixed: string
  /** Whether the installed package is below `fixed` (and so must be reported). */
  affects: boolean
}

const ADVISORIES: Advisory[] = [
  {id: 'RLSA-T1', ecosystem: 'Rocky Linux:9', name: 'tilde', fixed: '1.0-1.el9', affects: true}, // ~rc1 sorts before the release: bytewise it would sort after
  {id: 'RLSA-T2', ecosystem: 'Rocky Linux:8', name: 'tilde', fixed: '9.9-1.el8', affects: false}, // another release
  {id: 'RLSA-E1', ecosystem: 'Rocky Linux:9', name: 'epochal', fixed: '5.0-1.el9', affects: false}, // epoch 2 beats the missing epoch 0
  {id: 'RLSA-E2', ecosystem: 'Rocky Linux:9', name: 'epochal', fixed: '2:1.0-2.el9', affects: true},
  {id: 'RLSA-N1', ecosystem: 'Rocky Linux:9', name: 'numeric', fixed: '1.9-1.el9', affects: false}, // 10 > 9 as numbers, not as text
  {id: 'RLSA-N2', ecosystem: 'Rocky Linux:9', name: 'numeric', fixed: '1.10-2.el9', affects: true},
  {id: 'RLSA-C1', ecosystem: 'Rocky Linux:9', name: 'caret', fixed: '2.0-1.el9', affects: false}, // ^git5 sorts after the plain 2.0
  {id: 'RLSA-C2', ecosystem: 'Rocky Linux:9', name: 'caret', fixed: '2.0.1-1.el9', affects: true}, // … and before 2.0.1
  {id: 'RLSA-Z1', ecosystem: 'Rocky Linux:9', name: 'zeroepoch', fixed: '0:3.0-1.el9_1', affects: true},
  {id: 'RLSA-Z2', ecosystem: 'Rocky Linux:9', name: 'zeroepoch', fixed: '0:3.0-1.el9', affects: false}, // fixed in exactly the installed version
  {id: 'RLSA-R1', ecosystem: 'Rocky Linux:9', name: 'releases', fixed: '4.2-9.el9', affects: false},
  {id: 'RLSA-S1', ecosystem: 'Rocky Linux:9', name: 'project', fixed: '7.0-4.el9', affects: true}, // by source rpm: reported for each binary
  {id: 'RLSA-S2', ecosystem: 'Rocky Linux', name: 'libproject', fixed: '7.1-1.el9', affects: true}, // no release suffix: every release
]

const osvEntry = (advisory: Advisory) => ({
  id: advisory.id,
  summary: `test advisory ${advisory.id}`,
  database_specific: {severity: 'High'},
  affected: [
    {
      package: {ecosystem: advisory.ecosystem, name: advisory.name},
      ranges: [{type: 'ECOSYSTEM', events: [{introduced: '0'}, {fixed: advisory.fixed}]}],
    },
  ],
})

describe('scan and sbom of an RPM image built with rpm, against the real registry', function () {
  this.timeout(180_000)
  const env = useRegistry()
  let work: string
  let rpmRoot: string
  let expectedPackages: string[]
  const cli = (args: string[], cache = join(work, 'cache')) => runCli(args, {env: {XDG_CACHE_HOME: cache}})

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'reglens-scan-rpm-'))
    rpmRoot = buildRpmDatabase(PACKAGES)
    expectedPackages = rpmQueryAll(rpmRoot)
    const database = await readFile(join(rpmRoot, 'var/lib/rpm/rpmdb.sqlite'))
    const advisories = join(work, 'osv')
    await mkdir(advisories)
    for (const advisory of ADVISORIES) await writeFile(join(advisories, `${advisory.id}.json`), JSON.stringify(osvEntry(advisory)))
    // An ecosystem reglens cannot match: skipped with a count, not a reason to refuse the rest.
    await writeFile(
      join(advisories, 'MAVEN-TEST-1.json'),
      JSON.stringify({id: 'MAVEN-TEST-1', affected: [{package: {ecosystem: 'Maven', name: 'org.example:m'}, ranges: []}]}),
    )
    const imported = await cli(['scan', 'db', 'update', '--dir', advisories, '--json'])
    expect(imported.code, imported.stderr).to.equal(0)
    expect(imported.stderr).to.equal('warning: skipped advisories of ecosystems reglens cannot match: Maven (1)\n')
    expect(JSON.parse(imported.stdout).ecosystems['Rocky Linux']).to.include({entries: ADVISORIES.length})
    // rpm 4.18 leaves an empty WAL and shm beside the database, as images often carry them.
    const image = await buildImage({
      layers: [
        {
          'etc/os-release': ROCKY,
          'var/lib/rpm/rpmdb.sqlite': database,
          'var/lib/rpm/rpmdb.sqlite-shm': Buffer.alloc(32768),
          'var/lib/rpm/rpmdb.sqlite-wal': Buffer.alloc(0),
        },
        {'etc/motd': 'hello\n'},
      ],
    })
    await pushImage(env.client, parseRepository(`${env.registry.host}/rpm/rocky`), image, '9')
    const fedora = await buildImage({
      layers: [
        {
          'etc/os-release': 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora Linux 40 (Container Image)"\n',
          'usr/lib/sysimage/rpm/rpmdb.sqlite': database,
        },
      ],
    })
    await pushImage(env.client, parseRepository(`${env.registry.host}/rpm/fedora`), fedora, '40')
    const broken = await buildImage({layers: [{'etc/os-release': ROCKY, 'var/lib/rpm/Packages': Buffer.alloc(8192, 7)}]})
    await pushImage(env.client, parseRepository(`${env.registry.host}/rpm/broken`), broken, '9')
  })

  after(async () => {
    await rm(work, {recursive: true, force: true})
    if (rpmRoot) await rm(dirname(rpmRoot), {recursive: true, force: true})
  })

  it('image sbom lists every package rpm installed, with epoch:version-release, arch and source rpm', async () => {
    const run = await cli(['image', 'sbom', `${env.registry.host}/rpm/rocky:9`, '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const sbom = JSON.parse(run.stdout) as ImageSbom
    expect(sbom.distro).to.deep.equal({id: 'rocky', versionId: '9.3', prettyName: 'Rocky Linux 9.3 (Blue Onyx)'})
    expect(sbom.warnings).to.deep.equal([])
    const listed = sbom.packages
      .map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch} ${pkg.source!.name}-${pkg.source!.version}.src.rpm`)
      .sort()
    expect(listed).to.deep.equal(expectedPackages)
    expect(listed).to.have.length(8)
    expect(listed).to.include('epochal 2:1.0-1.el9 x86_64 epochal-1.0-1.el9.src.rpm')
    expect(sbom.packages.find((pkg) => pkg.name === 'epochal')?.purl).to.equal(
      'pkg:rpm/rocky/epochal@1.0-1.el9?arch=x86_64&distro=rocky-9.3&epoch=2',
    )
    const table = await cli(['image', 'sbom', `${env.registry.host}/rpm/rocky:9`])
    expect(table.stdout).to.include('2:1.0-1.el9')
  })

  it('image sbom says once on stderr, in every format, what it could not read', async () => {
    for (const format of ['json', 'cyclonedx', 'table']) {
      const run = await cli(['image', 'sbom', `${env.registry.host}/rpm/broken:9`, '--format', format])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stderr.trim().split('\n'), format).to.deep.equal([
        `warning: not checked: layer ${run.stderr.match(/layer ([0-9a-f]{12})/)?.[1]}: var/lib/rpm/Packages: not a Berkeley DB hash file (bad magic number); its packages were not listed`,
      ])
    }
  })

  it('scan finds exactly the advisories whose fixed version is above the installed one', async () => {
    const run = await cli(['scan', `${env.registry.host}/rpm/rocky:9`, '--scanner', 'builtin', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout) as ScanResult
    const found = result.details.map((d) => `${d.id} ${d.package} ${d.installedVersion} -> ${d.fixedVersion}`).sort()
    const installed = Object.fromEntries(expectedPackages.map((line) => line.split(' ')).map(([name, evr]) => [name, evr]))
    const binariesOf = (name: string) => (name === 'project' ? ['libproject', 'project-tools'] : [name])
    const expected = ADVISORIES.filter((a) => a.affects)
      .flatMap((a) => binariesOf(a.name).map((binary) => `${a.id} ${binary} ${installed[binary]} -> ${a.fixed}`))
      .sort()
    expect(found).to.deep.equal(expected)
    expect(result.warnings).to.deep.equal([])
    expect(result.high).to.equal(expected.length)
    const gate = await cli(['scan', `${env.registry.host}/rpm/rocky:9`, '--scanner', 'builtin', '--fail-on', 'high', '--json'])
    expect(gate.code).to.equal(14)
  })

  it('scan says plainly that the rpm packages of a distribution OSV does not cover were not checked', async () => {
    const run = await cli(['scan', `${env.registry.host}/rpm/fedora:40`, '--scanner', 'builtin', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout) as ScanResult
    expect(result.total).to.equal(0)
    expect(result.warnings).to.have.length(1)
    expect(result.warnings[0]).to.match(/^8 rpm packages were not checked: OSV has no advisories for Fedora Linux 40 \(Container Image\)/)
    expect(run.stderr).to.include('8 rpm packages were not checked')
    expect(result.unchecked).to.deep.equal([{path: '', layer: '', reason: result.warnings[0]}])
    // Fail closed: a gate cannot pass packages it could not check, unless told to.
    const gate = await cli(['scan', `${env.registry.host}/rpm/fedora:40`, '--scanner', 'builtin', '--fail-on', 'low'])
    expect(gate.code, gate.stderr).to.equal(14)
    const allowed = await cli([
      'scan',
      `${env.registry.host}/rpm/fedora:40`,
      '--scanner',
      'builtin',
      '--fail-on',
      'low',
      '--allow-unchecked',
    ])
    expect(allowed.code, allowed.stderr).to.equal(0)
  })

  it('scan db update downloads an RPM ecosystem by its OSV name (with a space) from the source', async () => {
    const zip = await zipOf(Object.fromEntries(ADVISORIES.map((a) => [`${a.id}.json`, JSON.stringify(osvEntry(a))])))
    const requests: string[] = []
    const server: Server = createServer((request, response) => {
      requests.push(request.url ?? '')
      const ok = request.url === '/Rocky%20Linux/all.zip'
      response.writeHead(ok ? 200 : 404)
      response.end(ok ? zip : 'not found')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const address = server.address()
      const source = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
      const cache = join(work, 'download-cache')
      const update = await cli(['scan', 'db', 'update', '--ecosystems', 'Rocky Linux', '--source', source, '--json'], cache)
      expect(update.code, update.stderr).to.equal(0)
      expect(requests).to.deep.equal(['/Rocky%20Linux/all.zip'])
      expect(JSON.parse(update.stdout).ecosystems['Rocky Linux']).to.include({entries: ADVISORIES.length})
      const scan = await cli(['scan', `${env.registry.host}/rpm/rocky:9`, '--scanner', 'builtin', '--json'], cache)
      expect((JSON.parse(scan.stdout) as ScanResult).total).to.equal(ADVISORIES.filter((a) => a.affects).length + 1)
    } finally {
      server.close()
    }
  })
})
