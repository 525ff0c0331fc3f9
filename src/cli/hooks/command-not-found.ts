import type {Hook} from '@oclif/core'

import {ExitCode} from '../../errors.js'

/** An unknown command is a usage error: one line, exit 2, and where to look. */
const hook: Hook<'command_not_found'> = async function (options) {
  process.stderr.write(`reglens: unknown command "${options.id.replaceAll(':', ' ')}" (see reglens --help)\n`)
  process.exit(ExitCode.usage)
}

export default hook
