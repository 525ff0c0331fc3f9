import type {Writable} from 'node:stream'

/** Writes a value as pretty JSON and a newline. */
export function writeJson(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`)
}

function write(out: Writable, text: string): Promise<void> | void {
  // Respect back-pressure so a 100k-item listing piped to a slow reader does not pile up in memory.
  if (!out.write(text)) return new Promise((resolve) => out.once('drain', () => resolve()))
}

/**
 * Streams `{...head, "<key>": [item, item, ...], ...tail}` item by item, so listings of any size stay in
 * constant memory and the document is valid JSON even when there are no items. `tail` is called once
 * the items are written, for totals known only at the end. Nothing is written until the first item
 * (or the end) arrives, so a listing that fails at once (registry unreachable) leaves stdout empty.
 */
export async function writeJsonStream<T>(
  out: Writable,
  head: Record<string, unknown>,
  key: string,
  items: AsyncIterable<T> | Iterable<T>,
  tail?: () => Record<string, unknown>,
): Promise<number> {
  const headText = JSON.stringify(head, null, 2)
  const open = `${headText === '{}' ? '{\n' : `${headText.slice(0, -2)},\n`}  ${JSON.stringify(key)}: [`
  let count = 0
  for await (const item of items) {
    await write(out, `${count === 0 ? `${open}\n` : ',\n'}    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`)
    count++
  }
  const tailText = tail ? JSON.stringify(tail(), null, 2).slice(1, -2) : ''
  await write(out, `${count === 0 ? `${open}]` : '\n  ]'}${tailText === '' ? '' : `,${tailText}`}\n}\n`)
  return count
}
