import type {Hook} from '@oclif/core/hooks'
import {closest, distance} from 'fastest-levenshtein'

import {ExitCode} from '../../errors.js'

/** The command the user most likely meant: the nearest id by edit distance, if it is near enough to be a typo. */
export function suggestCommand(id: string, commandIds: string[]): string | undefined {
  if (commandIds.length === 0) return undefined
  const best = closest(id, commandIds)
  return distance(id, best) <= Math.max(2, Math.floor(id.length / 3)) ? best : undefined
}

/** An unknown command is a usage error: one line, exit 2, a "did you mean" when one is close, and where to look. */
const hook: Hook<'command_not_found'> = async function (options) {
  const suggestion = suggestCommand(options.id, options.config.commandIDs)
  const hint = suggestion ? `; did you mean "reglens ${suggestion.replaceAll(':', ' ')}"?` : ''
  process.stderr.write(`reglens: unknown command "${options.id.replaceAll(':', ' ')}"${hint} (see reglens --help)\n`)
  process.exit(ExitCode.usage)
}

export default hook
