import {createInterface} from 'node:readline/promises'

import {ReglensError} from '../errors.js'

/**
 * Asks a yes/no question on the terminal (default no). Without a terminal there is nobody to ask:
 * refuse (exit 15) rather than guess, so a pipeline must say --yes.
 */
export async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new ReglensError(
      'refusing to delete without confirmation: not on a terminal; pass --yes to confirm (or --dry-run to preview)',
      'aborted',
    )
  }
  const prompt = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await prompt.question(`${question} [y/N] `)
    if (!/^y(es)?$/i.test(answer.trim())) throw new ReglensError('aborted: nothing was deleted', 'aborted')
  } finally {
    prompt.close()
  }
}
