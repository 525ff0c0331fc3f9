#!/usr/bin/env node
// `npm test` pre-step: on a fresh machine with only Node, npm and apt, install what the tests need
// (npm dependencies; the CNCF registry, htpasswd, openssl, rpm, db5.3-util, Chromium, GNU time and zsh from Debian's packages). Node built-ins only.
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (command, args) =>
  execFileSync(command, args, {stdio: 'inherit', cwd: root, env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}})

if (!existsSync(`${root}/node_modules/.bin/tsc`)) {
  process.stderr.write('npm test: installing npm dependencies (npm ci)\n')
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'])
}

const needed = [
  ['/usr/bin/docker-registry', 'docker-registry'],
  ['/usr/bin/htpasswd', 'apache2-utils'],
  ['/usr/bin/openssl', 'openssl'],
  ['/usr/bin/rpmbuild', 'rpm'],
  ['/usr/bin/db5.3_load', 'db5.3-util'],
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/bin/time', 'time'],
  ['/usr/bin/zsh', 'zsh'],
].filter(([binary]) => !existsSync(binary))
if (needed.length > 0) {
  const packages = needed.map(([, name]) => name)
  process.stderr.write(`npm test: installing ${packages.join(', ')} with apt-get\n`)
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args))
  try {
    apt(['update', '-qq'])
    apt(['install', '-y', '-qq', '--no-install-recommends', ...packages])
  } catch {
    process.stderr.write(
      `npm test: could not install ${packages.join(', ')}; run: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n`,
    )
    process.exit(1)
  }
}
