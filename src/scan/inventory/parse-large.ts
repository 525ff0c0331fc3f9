import {Worker} from 'node:worker_threads'

import type {RecordKind} from './files.js'
import {type LayerFile, parseRecord} from './records.js'

/** Below this a record file is parsed in place: a worker costs more than the parse. */
const IN_PLACE_BYTES = 1024 * 1024

/**
 * The heap a large record file is parsed in: a 16 MiB lockfile becomes up to ~100 MiB of objects while parsed,
 * garbage right after, and the main thread's heap would keep growing across many such files (V8 collects
 * lazily under a multi-gigabyte limit). A worker's heap limit is enforced; its memory is freed on exit,
 * including what no heap limit covers: sql.js's copy of an rpm sqlite database and its WebAssembly memory.
 */
export const WORKER_HEAP_MB = 96

// Run from the sources (tests), the worker is the .ts file next to this one; built, the .js one.
const WORKER = new URL(`./parse-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url)

/**
 * Parses a record file of any kind (rpm databases included), a large one in a worker with a capped heap
 * (`heapMb`); `content` is handed over to the worker, not copied. Never throws: a failure is an unread file.
 */
export function parseBounded(kind: RecordKind, path: string, content: Buffer, heapMb = WORKER_HEAP_MB): Promise<LayerFile> {
  if (content.length < IN_PLACE_BYTES) return parseRecord(kind, path, content)
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      workerData: {kind, path, content},
      transferList: [content.buffer as ArrayBuffer],
      resourceLimits: {maxOldGenerationSizeMb: heapMb},
    })
    worker.once('message', (file: LayerFile) => {
      resolve(file)
      void worker.terminate()
    })
    worker.once('error', (error: Error & {code?: string}) =>
      resolve({
        kind: 'unread',
        reason:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `needs more than ${heapMb} MiB to parse, not read`
            : `could not be parsed: ${error.message}`,
      }),
    )
  })
}
