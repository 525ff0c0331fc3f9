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
