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
    const lines = [`Name: ${spec.name}`, `Version: ${spec.version}`, `Release: ${spec.release}`, ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]), 'Summary: reglens test package', 'License: MIT', `BuildArch: ${spec.arch ?? 'noarch'}`, '%description', 'reglens test package', '%files', '']
    writeFileSync(file, lines.join('\n'))
    return file
  })
  const quiet = {stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[]}
  execFileSync('/usr/bin/rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${join(work, 'top')}`, ...specFiles], quiet)
  const rpms = execFileSync('find', [join(work, 'top', 'RPMS'), '-name', '*.rpm'], {encoding: 'utf8'}).split('\n').filter(Boolean)
  const root = join(work, 'root')
  execFileSync('/usr/bin/rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb'], quiet)
  execFileSync('/usr/bin/rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--justdb', '--nodeps', '--ignorearch', '--ignoreos', ...rpms], quiet)
  return root
}

/** What rpm itself lists in a database: `name epoch:version-release arch sourcerpm`, sorted. */
export function rpmQueryAll(root: string): string[] {
  const format = '%{NAME} %{EVR} %{ARCH} %{SOURCERPM}\\n'
  return execFileSync('/usr/bin/rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', format], {encoding: 'utf8'}).split('\n').filter(Boolean).sort()
}
