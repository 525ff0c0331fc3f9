import {cp, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * Test images for the scanner and the OSV advisories they are checked against. The Debian image's dpkg
 * status is this machine's real one; the advisories about it are written here from its versions, with
 * what each must (or must not) match stated next to it.
 */

export const OSV_FIXTURES = fileURLToPath(new URL('../fixtures/osv', import.meta.url))

export interface DpkgStanza {
  Package: string
  Version: string
  Source?: string
  Status?: string
}

/** A plain reading of a dpkg status file, independent of the code under test. */
export function stanzas(status: string): DpkgStanza[] {
  return status
    .split(/\n\n+/)
    .map(
      (block) =>
        Object.fromEntries(
          block
            .split('\n')
            .filter((line) => /^[A-Za-z-]+: /.test(line))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        ) as unknown as DpkgStanza,
    )
    .filter((stanza) => stanza.Package && stanza.Version && (stanza.Status ?? 'installed').endsWith('installed'))
}

export interface DebianFacts {
  status: string
  osRelease: string
  glibcVersion: string
  /** Installed binaries built from glibc. */
  glibcBinaries: string[]
  opensslVersion: string
  bashVersion: string
  bashSourceVersion: string
}

export async function debianFacts(): Promise<DebianFacts> {
  const status = await readFile('/var/lib/dpkg/status', 'utf8').catch(() => {
    throw new Error('these tests copy the dpkg status of a Debian machine: /var/lib/dpkg/status is missing')
  })
  const osRelease = await readFile('/etc/os-release', 'utf8')
  const all = stanzas(status)
  const libc6 = all.find((stanza) => stanza.Package === 'libc6')
  const libssl3 = all.find((stanza) => stanza.Package === 'libssl3')
  const bash = all.find((stanza) => stanza.Package === 'bash')
  if (!libc6 || !libssl3 || !bash) throw new Error('the dpkg status must list libc6, libssl3 and bash')
  const glibcBinaries = all
    .filter((stanza) => stanza.Source === 'glibc' || stanza.Source?.startsWith('glibc ('))
    .map((stanza) => stanza.Package)
  const bashSource = /\((.+)\)/.exec(bash.Source ?? '')
  return {
    status,
    osRelease,
    glibcVersion: libc6.Version,
    glibcBinaries,
    opensslVersion: libssl3.Version,
    bashVersion: bash.Version,
    bashSourceVersion: bashSource ? bashSource[1] : bash.Version,
  }
}

/** The static fixtures plus advisories about this machine's glibc, openssl and bash, in one directory. */
export async function advisoryDirectory(facts: DebianFacts): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'reglens-osv-fixtures-'))
  await cp(OSV_FIXTURES, directory, {recursive: true})
  const entry = (id: string, ecosystem: string, name: string, affected: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    writeFile(
      join(directory, 'debian', `${id}.json`),
      JSON.stringify({
        id,
        modified: '2024-01-10T00:00:00Z',
        summary: `${id} test advisory`,
        ...extra,
        affected: [{package: {ecosystem, name}, ...affected}],
      }),
    )
  // Affects every glibc binary: fixed in a version just above the installed one. High by CVSS 7.5.
  await entry(
    'DEBIAN-TEST-GLIBC',
    'Debian:12',
    'glibc',
    {ranges: [{type: 'ECOSYSTEM', events: [{introduced: '0'}, {fixed: `${facts.glibcVersion}+reglens1`}]}]},
    {severity: [{type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'}]},
  )
  // Fixed in exactly the installed version: no finding.
  await entry(
    'DEBIAN-TEST-OPENSSL',
    'Debian:12',
    'openssl',
    {ranges: [{type: 'ECOSYSTEM', events: [{introduced: '0'}, {fixed: facts.opensslVersion}]}]},
    {database_specific: {severity: 'CRITICAL'}},
  )
  // Another release: no finding.
  await entry(
    'DEBIAN-TEST-OLDREL',
    'Debian:11',
    'glibc',
    {ranges: [{type: 'ECOSYSTEM', events: [{introduced: '0'}, {fixed: '999'}]}]},
    {database_specific: {severity: 'CRITICAL'}},
  )
  // bash is a binNMU (Version x+bN, Source: bash (x)): the listed source version matches, the binary version would not.
  await entry('DEBIAN-TEST-BASH', 'Debian:12', 'bash', {versions: [facts.bashSourceVersion]}, {database_specific: {severity: 'LOW'}})
  return directory
}

const installed = (name: string, version: string, source?: string) =>
  `Package: ${name}\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nArchitecture: amd64\n`
const metadata = (name: string, version: string) =>
  `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: test\n\nLong description.\n`
const npmPackage = (name: string, version: string) => JSON.stringify({name, version})
const SITE = 'usr/lib/python3/dist-packages'

/** Debian base (real status) + distroless status.d, Python and node_modules + a layer that removes and replaces. */
export function debianLayers(facts: DebianFacts): Record<string, string>[] {
  return [
    {'etc/os-release': facts.osRelease, 'var/lib/dpkg/status': facts.status, 'usr/bin/placeholder': 'binary'},
    {
      'var/lib/dpkg/status.d/reglens-demo': installed('reglens-demo', '1.4-1', 'reglens-src (2:5.0-1)'),
      'var/lib/dpkg/status.d/reglens-demo2': installed('reglens-demo2', '3.0-1', 'reglens-src2'),
      'var/lib/dpkg/status.d/reglens-gone': installed('reglens-gone', '1.0-1'),
      'var/lib/dpkg/status.d/reglens-gone.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  usr/bin/gone\n',
      [`${SITE}/requests-2.19.0.dist-info/METADATA`]: metadata('requests', '2.19.0'),
      [`${SITE}/urllib3-1.26.4.dist-info/METADATA`]: metadata('urllib3', '1.26.4'),
      [`${SITE}/Django-4.2rc1.dist-info/METADATA`]: metadata('Django', '4.2rc1'),
      'app/node_modules/lodash/package.json': npmPackage('lodash', '4.17.20'),
      'app/node_modules/minimist/package.json': npmPackage('minimist', '1.2.5'),
    },
    {
      'var/lib/dpkg/status.d/.wh.reglens-gone': '',
      [`${SITE}/.wh.urllib3-1.26.4.dist-info`]: '',
      'app/node_modules/.wh..wh..opq': '',
      'app/node_modules/lodash/package.json': npmPackage('lodash', '4.17.21'),
      'app/node_modules/@babel/traverse/package.json': npmPackage('@babel/traverse', '7.22.0'),
      'app/package-lock.json': JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': {name: 'app', version: '1.0.0'},
          'node_modules/lodash': {version: '4.17.21'},
          'node_modules/@babel/traverse': {version: '7.22.0'},
          'node_modules/qs': {version: '6.10.3'},
          'node_modules/debug/node_modules/ms': {version: '2.0.0'},
          'node_modules/mkdirp/node_modules/minimist': {version: '1.2.5'},
        },
      }),
    },
  ]
}

const apk = (packages: [string, string, string][]) =>
  packages.map(([name, version, origin]) => `C:Q1${name}=\nP:${name}\nV:${version}\nA:x86_64\no:${origin}\n`).join('\n')

/** Alpine 3.19: a later layer upgrades busybox and deletes zlib (apk rewrites its database). */
export function alpineLayers(): Record<string, string>[] {
  const base: [string, string, string][] = [
    ['musl', '1.2.4-r2', 'musl'],
    ['busybox', '1.36.1-r15', 'busybox'],
    ['libcrypto3', '3.1.4-r1', 'openssl'],
    ['libssl3', '3.1.4-r1', 'openssl'],
    ['zlib', '1.3-r2', 'zlib'],
  ]
  const upgraded = base
    .filter(([name]) => name !== 'zlib')
    .map(([name, version, origin]): [string, string, string] =>
      name === 'busybox' ? [name, '1.36.1-r16', origin] : [name, version, origin],
    )
  return [
    {
      'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
      'lib/apk/db/installed': apk(base),
    },
    {'lib/apk/db/installed': apk(upgraded), 'etc/motd': 'welcome'},
  ]
}

/** Python only, medium and low findings: what `--fail-on high` lets through. */
export function pythonLayers(): Record<string, string>[] {
  return [
    {
      [`${SITE}/requests-2.19.0.dist-info/METADATA`]: metadata('requests', '2.19.0'),
      [`${SITE}/Django-4.2rc1.dist-info/METADATA`]: metadata('Django', '4.2rc1'),
    },
  ]
}
