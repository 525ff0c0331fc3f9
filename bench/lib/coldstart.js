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

const TRACE = new URL('./import-trace.js', import.meta.url).href
const ENV = {...process.env, XDG_CONFIG_HOME: '/nonexistent-reglens-bench', NO_COLOR: '1'}

export function coldStartCommands(smallRepo) {
  return [
    {name: 'node -e 0', argv: [process.execPath, '-e', '0']},
    {name: 'reglens --version', argv: [process.execPath, BIN, '--version']},
    {name: 'reglens tags list (small repo)', argv: [process.execPath, BIN, 'tags', 'list', smallRepo]},
    {name: 'reglens tags list --json (small repo)', argv: [process.execPath, BIN, 'tags', 'list', smallRepo, '--json']},
  ]
}

const seconds = (text) => {
  const match = /^(\d+)m([\d.]+)s$/.exec(text)
  if (!match) throw new Error(`unexpected \`times\` field: ${text}`)
  return Number(match[1]) * 60 + Number(match[2])
}

/** One run: wall time (bash's own start included, the same for every command) and the child's CPU. */
async function timed(bash, argv) {
  const result = await run(bash, ['-c', '"$@" >/dev/null 2>&1; status=$?; times; exit $status', 'bash', ...argv], {env: ENV})
  // `times` prints the shell's own CPU, then its children's: "0m0.081s 0m0.023s".
  const children = result.stdout.trim().split('\n').at(-1).split(/\s+/)
  return {ms: result.ms, cpuMs: (seconds(children[0]) + seconds(children[1])) * 1000}
}

export async function coldStart(smallRepo, {runs}) {
  const bash = which('bash')
  if (!bash) throw new Error('the cold-start section needs bash (apt-get install -y bash)')
  const commands = coldStartCommands(smallRepo)
  for (let warmup = 0; warmup < 3; warmup++) for (const command of commands) await timed(bash, command.argv)
  const samples = commands.map(() => ({ms: [], cpuMs: []}))
  for (let round = 0; round < runs; round++) {
    for (const [index, command] of commands.entries()) {
      const sample = await timed(bash, command.argv)
      samples[index].ms.push(sample.ms)
      samples[index].cpuMs.push(sample.cpuMs)
    }
  }
  return {
    tool: `interleaved spawns through bash (wall: spawn to exit; CPU: bash \`times\`), ${runs} rounds after 3 warm-up rounds`,
    results: commands.map((command, index) => ({
      name: command.name,
      medianMs: median(samples[index].ms),
      cpuMs: median(samples[index].cpuMs),
      runs,
    })),
    commandModulesForVersion: await commandModulesLoaded(['--version']),
  }
}

/** Command modules `reglens ARGS` imports: none for --version when oclif's manifest is used. */
export async function commandModulesLoaded(args) {
  const result = await run(process.execPath, ['--import', TRACE, BIN, ...args], {env: ENV})
  return [
    ...new Set(
      result.stderr
        .split('\n')
        .filter((line) => line.startsWith('reglens-bench-command-module '))
        .map((line) => line.split(' ')[1]),
    ),
  ]
}
