import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {execute} from '@oclif/core/execute'

interface PackageJson {
  oclif: {plugins?: string[]}
}

/**
 * Whether oclif's plugins (help, autocomplete) can stay unloaded: `--version`, or the arguments name
 * one of the CLI's own commands and ask for no help. Help screens list the plugins' commands, and a mistyped
 * command may be one of theirs, so those load them.
 */
export function needsNoPlugins(argv: string[], ownWords: Set<string>): boolean {
  const [first] = argv
  if (argv.length === 1 && first === '--version') return true
  if (first === undefined || !ownWords.has(first.split(':')[0])) return false
  return !argv.includes('--help') && !argv.includes('-h')
}

/**
 * The CLI's entry point (bin/run.js). Bundled with the commands, so @oclif/core and every module a
 * command needs load from a few files instead of hundreds; plugins load only when the command needs them.
 * `ownCommandWords` are the first words of the CLI's commands (`tags` of `tags:list`), written by the build.
 */
export async function main(root: string, argv: string[], ownCommandWords: readonly string[]): Promise<void> {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson
  if (needsNoPlugins(argv, new Set(ownCommandWords))) pjson.oclif = {...pjson.oclif, plugins: []}
  await execute({args: argv, loadOptions: {root, pjson: pjson as never}})
}
