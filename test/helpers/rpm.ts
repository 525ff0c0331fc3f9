import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Debian's `rpm` (rpm, rpmbuild, rpmdb): the tests build real RPM databases with it. Fails, never skips, when missing. */
export function requireRpm(): void {
  for (const tool of ['/usr/bin/rpm', '/usr/bin/rpmbuild']) {
    if (!existsSync(tool)) throw new Error(`${tool} is missing: install it with \`sudo apt-get install -y rpm\``)
  }
}

/**
 * rpm's own EVR comparison (`rpm.vercmp` in its Lua) for many pairs in one process: -1, 0, 1, or
 * undefined where rpm rejects a version. Pairs go through a file, so no macro or Lua quoting applies.
 */
export function rpmVercmpMany(pairs: [string, string][]): (number | undefined)[] {
  requireRpm()
  const directory = mkdtempSync(join(tmpdir(), 'reglens-rpmvercmp-'))
  try {
    const file = join(directory, 'pairs.tsv')
    writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''))
    const script = `%{lua: for line in io.lines("${file}") do local a, b = line:match("^([^\\t]*)\\t(.*)$"); local ok, r = pcall(rpm.vercmp, a, b); print((ok and tostring(r) or "invalid") .. "\\n") end}`
    const output = execFileSync('/usr/bin/rpm', ['--eval', script], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    const lines = output.split('\n').filter((line) => line !== '')
    if (lines.length !== pairs.length) throw new Error(`rpm answered ${lines.length} comparisons for ${pairs.length} pairs`)
    return lines.map((line) => (line === 'invalid' ? undefined : Number(line)))
  } finally {
    rmSync(directory, {recursive: true, force: true})
  }
}

export interface RpmSpec {
  name: string
  epoch?: number
  version: string
  release: string
  /** `noarch` (default) or this machine's `x86_64`. */
  arch?: string
  /**
   * Build only these binary subpackages (`%package -n NAME`), not `name` itself: their source rpm is
   * `name-version-release.src.rpm`, as a library's is its project's.
   */
  subpackages?: string[]
}

/**
 * A real rpm database: each spec built into a binary rpm with `rpmbuild` (no files), then recorded
 * with `rpm --root ROOT --dbpath /var/lib/rpm -i --justdb --nodeps`. Returns the root directory;
 * the database is `ROOT/var/lib/rpm/rpmdb.sqlite` (Debian's rpm 4.18 writes only sqlite).
 */
export function buildRpmDatabase(specs: RpmSpec[]): string {
  requireRpm()
  const work = mkdtempSync(join(tmpdir(), 'reglens-rpmbuild-'))
  const specFiles = specs.map((spec, index) => {
    const file = join(work, `${index}.spec`)
    const header = [
      `Name: ${spec.name}`,
      `Version: ${spec.version}`,
      `Release: ${spec.release}`,
      ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
      'Summary: reglens test package',
      'License: MIT',
      `BuildArch: ${spec.arch ?? 'noarch'}`,
      '%description',
      'reglens test package',
    ]
    const packages = spec.subpackages
      ? spec.subpackages.flatMap((name) => [
          `%package -n ${name}`,
          'Summary: reglens test subpackage',
          `%description -n ${name}`,
          'reglens test subpackage',
          `%files -n ${name}`,
        ])
      : ['%files']
    const lines = [...header, ...packages, '']
    writeFileSync(file, lines.join('\n'))
    return file
  })
  const quiet = {stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[]}
  execFileSync('/usr/bin/rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${join(work, 'top')}`, ...specFiles], quiet)
  const rpms = execFileSync('find', [join(work, 'top', 'RPMS'), '-name', '*.rpm'], {encoding: 'utf8'})
    .split('\n')
    .filter(Boolean)
  const root = join(work, 'root')
  execFileSync('/usr/bin/rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb'], quiet)
  execFileSync(
    '/usr/bin/rpm',
    ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--justdb', '--nodeps', '--ignorearch', '--ignoreos', ...rpms],
    quiet,
  )
  return root
}

/** What rpm itself lists in a database: `name epoch:version-release arch sourcerpm`, sorted. */
export function rpmQueryAll(root: string): string[] {
  const format = '%{NAME} %{EVR} %{ARCH} %{SOURCERPM}\\n'
  return execFileSync('/usr/bin/rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', format], {encoding: 'utf8'})
    .split('\n')
    .filter(Boolean)
    .sort()
}

/**
 * A real Berkeley DB hash `Packages` file written by Berkeley DB 5.3's own `db_load` (rpm 4.18 can
 * only read BDB): keys are 4-byte instance numbers, values the header blobs, as rpm stored them.
 */
export function writeBdbPackages(path: string, blobs: Uint8Array[], options: {pageSize: number; bigEndian?: boolean}): void {
  if (!existsSync('/usr/bin/db5.3_load'))
    throw new Error('/usr/bin/db5.3_load is missing: install it with `sudo apt-get install -y db5.3-util`')
  const key = (n: number): string => {
    const bytes = Buffer.alloc(4)
    if (options.bigEndian) bytes.writeUInt32BE(n)
    else bytes.writeUInt32LE(n)
    return bytes.toString('hex')
  }
  const lines = [
    'VERSION=3',
    'format=bytevalue',
    'type=hash',
    `db_pagesize=${options.pageSize}`,
    `db_lorder=${options.bigEndian ? 4321 : 1234}`,
    'HEADER=END',
  ]
  blobs.forEach((blob, index) => lines.push(` ${key(index + 1)}`, ` ${Buffer.from(blob).toString('hex')}`))
  lines.push('DATA=END', '')
  execFileSync('/usr/bin/db5.3_load', [path], {input: lines.join('\n'), stdio: ['pipe', 'ignore', 'pipe']})
}

/** What rpm's read-only BDB backend lists from a root holding `var/lib/rpm/Packages` (other index files are not needed for -qa). */
export function rpmQueryAllBdb(root: string): string[] {
  const format = '%{NAME} %{EVR} %{ARCH} %{SOURCERPM}\\n'
  return execFileSync(
    '/usr/bin/rpm',
    ['--root', root, '--dbpath', '/var/lib/rpm', '--define', '_db_backend bdb_ro', '-qa', '--qf', format],
    {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']},
  )
    .split('\n')
    .filter(Boolean)
    .sort()
}

/**
 * An ndb `Packages.db`, hand-built from rpm's layout (lib/backend/ndb/rpmpkg.c): nothing installable
 * here writes ndb (Debian's rpm has no ndb backend), so this is the only source of such files in the tests.
 */
export function buildNdbPackages(blobs: Uint8Array[], options: {freeSlotFirst?: boolean} = {}): Buffer {
  // 16-byte slots after the 32-byte header, as many 4 KiB pages as the blobs need (one slot left free).
  const slotPages = Math.ceil((32 + (blobs.length + 1) * 16) / 4096)
  const parts: Buffer[] = []
  const header = Buffer.alloc(32)
  header.write('RpmP', 0, 'latin1')
  header.writeUInt32LE(0, 4)
  header.writeUInt32LE(1, 8)
  header.writeUInt32LE(slotPages, 12)
  header.writeUInt32LE(blobs.length + 1, 16)
  const slots = Buffer.alloc(slotPages * 4096 - 32)
  for (let at = 0; at < slots.length; at += 16) slots.write('Slot', at, 'latin1')
  let block = (slotPages * 4096) / 16
  const blobArea: Buffer[] = []
  blobs.forEach((blob, index) => {
    const length = 16 + blob.length + 12
    const blocks = Math.ceil(length / 16)
    const stored = Buffer.alloc(blocks * 16)
    stored.write('BlbS', 0, 'latin1')
    stored.writeUInt32LE(index + 1, 4)
    stored.writeUInt32LE(1, 8)
    stored.writeUInt32LE(blob.length, 12)
    Buffer.from(blob).copy(stored, 16)
    stored.writeUInt32LE(blob.length, 16 + blob.length + 4)
    stored.write('BlbE', 16 + blob.length + 8, 'latin1')
    const slot = (index + (options.freeSlotFirst ? 1 : 0)) * 16
    slots.writeUInt32LE(index + 1, slot + 4)
    slots.writeUInt32LE(block, slot + 8)
    slots.writeUInt32LE(blocks, slot + 12)
    block += blocks
    blobArea.push(stored)
  })
  parts.push(header, slots, ...blobArea)
  return Buffer.concat(parts)
}
