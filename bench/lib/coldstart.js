import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN} from './reglens.js'
import {median} from './stats.js'
import {run, versionOf, which} from './proc.js'

/**
 * Start-up cost: `node -e 0` (the floor), `reglens --version` (oclif alone), and a real command on a
 * small repository. hyperfine when installed; otherwise N spawns in series, medians.
 */

const TRACE = new URL('./import-trace.js', import.meta.url).href
const ENV = {...process.env, XDG_CONFIG_HOME: '/nonexistent-reglens-bench', NO_COLOR: '1'}

export function coldStartCommands(smallRepo) {
  return [
    {name: 'node -e 0', argv: [process.execPath, '-e', '0']},
    {name: 'reglens --version', argv: [process.execPath, BIN, '--version']},
    {name: 'reglens tags list (small repo)', argv: [process.execPath, BIN, 'tags', 'list', smallRepo]},
  ]
}

const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)

async function withHyperfine(hyperfine, commands, runs, workDir) {
  const exportPath = join(workDir, 'hyperfine.json')
  await run(hyperfine, ['-N', '--style', 'none', '--warmup', '3', '--runs', String(runs), '--export-json', exportPath, ...commands.map((command) => command.argv.map(quote).join(' '))], {env: ENV})
  const {results} = JSON.parse(readFileSync(exportPath, 'utf8'))
  return results.map((result, index) => ({name: commands[index].name, medianMs: result.median * 1000, runs: result.times.length}))
}

async function withNodeLoop(commands, runs) {
  const out = []
  for (const command of commands) {
    for (let warmup = 0; warmup < 3; warmup++) await run(command.argv[0], command.argv.slice(1), {env: ENV})
    const times = []
    for (let index = 0; index < runs; index++) times.push((await run(command.argv[0], command.argv.slice(1), {env: ENV})).ms)
    out.push({name: command.name, medianMs: median(times), runs})
  }
  return out
}

export async function coldStart(smallRepo, {runs, workDir}) {
  const commands = coldStartCommands(smallRepo)
  const hyperfine = which('hyperfine')
  const results = hyperfine ? await withHyperfine(hyperfine, commands, runs, workDir) : await withNodeLoop(commands, runs)
  return {tool: hyperfine ? versionOf(hyperfine) : `node spawn loop (hyperfine not installed)`, results, commandModulesForVersion: await commandModulesLoaded(['--version'])}
}

/** Command modules `reglens ARGS` imports: none for --version when oclif's manifest is used. */
export async function commandModulesLoaded(args) {
  const result = await run(process.execPath, ['--import', TRACE, BIN, ...args], {env: ENV})
  return [...new Set(result.stderr.split('\n').filter((line) => line.startsWith('reglens-bench-command-module ')).map((line) => line.split(' ')[1]))]
}
