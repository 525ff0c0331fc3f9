import {rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {UsageError} from '../errors.js'

/**
 * Writes a file whole or not at all: a temp file in the same directory (so the rename stays on one
 * filesystem), then a rename over the target. node_exporter's textfile collector and a web server
 * publishing the page never see half a file.
 */
export async function writeFileAtomic(path: string, text: string, what: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    await writeFile(temp, text)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`${what} ${path}: cannot write (${code ?? (error as Error).message})`)
  }
}
