import {parentPort, workerData} from 'node:worker_threads'

import type {RecordKind} from './files.js'
import {parseRecord} from './records.js'

/** Parses one large record file in a worker whose heap is capped (see parse-large.ts). */
const {kind, path, content} = workerData as {kind: RecordKind; path: string; content: Uint8Array}
parentPort!.postMessage(await parseRecord(kind, path, Buffer.from(content.buffer, content.byteOffset, content.byteLength)))
