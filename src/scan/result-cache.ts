import {createHash} from 'node:crypto'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {ScanResult} from './report/result.js'

/**
 * Scan results by registry, image manifest digest and scanner. The registry is part of the key: the
 * same repository name on another registry is another image, and its result is never served.
 */
export class ResultCache {
  constructor(readonly directory: string) {}

  private path(registry: string, imageDigest: string, scanner: string): string {
    const key = createHash('sha256')
      .update(JSON.stringify([registry, imageDigest, scanner]))
      .digest('hex')
    return join(this.directory, `${key}.json`)
  }

  async get(registry: string, imageDigest: string, scanner: string): Promise<ScanResult | undefined> {
    try {
      const result = JSON.parse(await readFile(this.path(registry, imageDigest, scanner), 'utf8')) as ScanResult
      return result.registry === registry &&
        result.imageDigest === imageDigest &&
        Array.isArray(result.details) &&
        Array.isArray(result.unchecked)
        ? result
        : undefined
    } catch {
      return undefined
    }
  }

  async put(result: ScanResult): Promise<void> {
    await mkdir(this.directory, {recursive: true})
    const path = this.path(result.registry, result.imageDigest, result.scanner)
    await writeFile(`${path}.${process.pid}.tmp`, JSON.stringify(result))
    await rename(`${path}.${process.pid}.tmp`, path)
  }
}
