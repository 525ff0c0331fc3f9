import {parentPort, workerData} from 'node:worker_threads'

import {parseRecordFile, type TextRecordKind} from './records.js'

/** Parses one large record file in a worker whose heap is capped (see parse-large.ts). */
const {kind, content} = workerData as {kind: TextRecordKind; content: Uint8Array}
parentPort!.postMessage(parseRecordFile(kind, Buffer.from(content.buffer, content.byteOffset, content.byteLength)))
