import {mkdtempSync, rmSync} from 'node:fs'
import os, {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BIN} from './reglens.js'
import {median} from './stats.js'
import {run, which} from './proc.js'

/**
 * Start-up cost: `node -e 0` (the floor), `reglens --version` (oclif alone), and real commands on a
 * small repository. Runs are interleaved (every command once per round), so load on a shared machine
 * hits all of them alike. Each run goes through `bash -c '…; times'`: bash's `times` prints the
 * user and system CPU of its finished children, read from the kernel's accounting, so the CPU of
 * every thread of the process (V8's compiler and GC threads included) is counted.
 */

const TRACE = fileURLToPath(new URL('./builtins-trace.cjs', import.meta.url))
const ENV = {...process.env, XDG_CONFIG_HOME: '/nonexistent-reglens-bench', NO_COLOR: '1'}
// No code cache can be written under a file: the CLI compiles its bundle every time.
const NO_CODE_CACHE = {XDG_CACHE_HOME: '/dev/null/reglens-bench'}

export function coldStartCommands(smallRepo) {
  return [
    {name: 'node -e 0', argv: [process.execPath, '-e', '0']},
    {name: 'reglens --version', argv: [process.execPath, BIN, '--version']},
    {name: 'reglens tags list (small repo)', argv: [process.execPath, BIN, 'tags', 'list', smallRepo]},
    {name: 'reglens tags list --json (small repo)', argv: [process.execPath, BIN, 'tags', 'list', smallRepo, '--json']},
    {name: 'reglens tags list, no code cache', argv: [process.execPath, BIN, 'tags', 'list', smallRepo], env: NO_CODE_CACHE},
  ]
}

const seconds = (text) => {
  const match = /^(\d+)m([\d.]+)s$/.exec(text)
  if (!match) throw new Error(`unexpected \`times\` field: ${text}`)
  return Number(match[1]) * 60 + Number(match[2])
}

/** One run: wall time (bash's own start included, the same for every command) and the child's CPU. */
async function timed(bash, argv, env) {
  const result = await run(bash, ['-c', '"$@" >/dev/null 2>&1; status=$?; times; exit $status', 'bash', ...argv], {env: {...ENV, ...env}})
  // `times` prints the shell's own CPU, then its children's: "0m0.081s 0m0.023s".
  const children = result.stdout.trim().split('\n').at(-1).split(/\s+/)
  return {ms: result.ms, cpuMs: (seconds(children[0]) + seconds(children[1])) * 1000}
}

export async function coldStart(smallRepo, {runs}) {
  const bash = which('bash')
  if (!bash) throw new Error('the cold-start section needs bash (apt-get install -y bash)')
  // The CLI's code cache lives in the user's cache directory: a fresh one, filled by the warm-up rounds.
  const cacheHome = mkdtempSync(join(tmpdir(), 'reglens-bench-cache-'))
  const commands = coldStartCommands(smallRepo).map((command) => ({...command, env: {XDG_CACHE_HOME: cacheHome, ...command.env}}))
  for (let warmup = 0; warmup < 3; warmup++) for (const command of commands) await timed(bash, command.argv, command.env)
  const samples = commands.map(() => ({ms: [], cpuMs: []}))
  const loadBefore = os.loadavg()
  for (let round = 0; round < runs; round++) {
    for (const [index, command] of commands.entries()) {
      const sample = await timed(bash, command.argv, command.env)
      samples[index].ms.push(sample.ms)
      samples[index].cpuMs.push(sample.cpuMs)
    }
  }
  const loadDuring = [loadBefore[0], os.loadavg()[0]].map((load) => Math.round(load * 100) / 100)
  const builtins = {}
  for (const command of commands.slice(0, 3)) builtins[command.name] = await builtinsLoaded(command.argv.slice(1), command.env)
  rmSync(cacheHome, {recursive: true, force: true})
  return {
    tool: `interleaved spawns through bash (wall: spawn to exit; CPU: bash \`times\`), ${runs} rounds after 3 warm-up rounds`,
    results: commands.map((command, index) => ({
      name: command.name,
      medianMs: median(samples[index].ms),
      cpuMs: median(samples[index].cpuMs),
      runs,
    })),
    loadDuring,
    builtins,
  }
}

/** How many Node built-in modules `node ARGS` loads (Node's own start-up included). */
async function builtinsLoaded(args, env) {
  const result = await run(process.execPath, ['--require', TRACE, ...args], {env: {...ENV, ...env}})
  const line = result.stderr.split('\n').find((text) => text.startsWith('reglens-bench-builtins '))
  return line ? Number(line.split(' ')[1]) : undefined
}
