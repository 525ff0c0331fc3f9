#!/usr/bin/env node
// `npm run demo`: installs the CNCF registry if missing, starts it on 127.0.0.1 with temp storage,
// seeds it, runs reglens against it, and stops it on exit (Ctrl-C too).
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {seedDemo} from '../dist/devtools/demo-seed.js'
import {REGISTRY_BINARY, startRegistry} from '../dist/devtools/registry-server.js'
import {RegistryClient} from '../dist/registry/client.js'
import {endpointFromUrl} from '../dist/registry/endpoint.js'

const bold = process.stderr.isTTY && !process.env.NO_COLOR ? (text) => `\u001b[1m${text}\u001b[0m` : (text) => text
const say = (text) => process.stderr.write(`\n${bold(`== ${text}`)}\n`)
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

function installRegistry() {
  if (existsSync(REGISTRY_BINARY)) return
  say('Installing the CNCF registry (Debian package docker-registry)')
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  const run = (args) =>
    execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'},
    })
  run(['apt-get', 'update', '-qq'])
  run(['apt-get', 'install', '-y', '-qq', 'docker-registry'])
}

installRegistry()
say('Starting the registry on 127.0.0.1 (temp storage, deletes enabled)')
const registry = await startRegistry()
// The saved cleanup plan lives here; removed with the registry, so nothing is left in the temp dir.
const workDir = mkdtempSync(join(tmpdir(), 'reglens-demo-'))
let stopping = false
const stop = async (code) => {
  if (stopping) return
  stopping = true
  await registry.stop()
  rmSync(workDir, {recursive: true, force: true})
  process.exit(code)
}
process.on('SIGINT', () => stop(130))
process.on('SIGTERM', () => stop(143))

try {
  process.stderr.write(`registry: ${registry.url}  (config ${registry.configPath})\n`)
  say('Seeding sample images through the registry API')
  const client = new RegistryClient(endpointFromUrl(registry.url))
  const summary = await seedDemo(client)
  await client.close()
  for (const [repo, tags] of Object.entries(summary)) process.stderr.write(`  ${repo}: ${tags.length} tags\n`)

  const env = {...process.env, REGLENS_REGISTRY: registry.host}
  const reglens = (...args) => {
    say(`reglens ${args.join(' ')}`)
    const result = spawnSync(process.execPath, [bin, ...args], {stdio: 'inherit', env})
    if (result.status !== 0) throw new Error(`reglens ${args.join(' ')} exited with ${result.status}`)
  }
  reglens('repos', 'list')
  reglens('tags', 'list', 'team/app/api', '--sort', 'semver')
  reglens('tags', 'list', 'big/many-tags', '--sort', 'semver', '--filter', '^1\\.25\\.', '--json')
  reglens('tags', 'list', `${registry.host}/demo/oci-app`, '--details')
  reglens('image', 'inspect', 'team/app/api:v1.1.0')
  reglens('image', 'inspect', 'demo/hello:latest', '--platform', 'linux/amd64')
  reglens('image', 'size', 'team/app/api:latest', '--json')
  reglens('image', 'size', 'demo/oci-app', '--all-tags')
  reglens('tags', 'list', 'big/many-tags', '--details', '--sort', 'semver', '--filter', '^1\\.2[45]\\.[0-4]$')
  reglens('repos', 'list', '--size')

  // The CI cleanup flow: preview, save the plan, see what GC frees, apply exactly that plan.
  const planPath = join(workDir, 'plan.json')
  reglens('image', 'delete', 'demo/oci-app', '--keep-last', '1', '--dry-run')
  reglens('image', 'delete', 'demo/oci-app', '--keep-last', '1', '--save-plan', planPath, '--quiet')
  reglens('gc-hint', '--plan', planPath)
  reglens('image', 'delete', '--plan', planPath, '--yes')
  reglens('tags', 'list', 'demo/oci-app')

  // Signatures, attestations and SBOMs follow their image.
  reglens('image', 'inspect', 'demo/signed:v3')
  reglens('tags', 'list', 'demo/signed', '--show-referrers')
  reglens('image', 'delete', 'demo/signed', '--keep-last', '1', '--dry-run')

  // Only a registry that stays up can be tried: without a terminal (or with --no-wait) it stops now.
  if (process.stdin.isTTY && !process.argv.includes('--no-wait')) {
    say('Try it yourself')
    process.stderr.write(
      `  export REGLENS_REGISTRY=${registry.host}\n  ./bin/run.js repos list\n  ./bin/run.js tags list big/many-tags --sort semver --json | jq -r '.tags[].name' | tail -3\n`,
    )
    process.stderr.write('\nThe registry stays up until you press Ctrl-C.\n')
    await new Promise(() => {})
  }
  process.stderr.write('\nDemo done; the registry is stopped. Run `npm run demo` in a terminal to keep it up and try it yourself.\n')
  await stop(0)
} catch (error) {
  process.stderr.write(`demo failed: ${error.message}\n`)
  await stop(1)
}
