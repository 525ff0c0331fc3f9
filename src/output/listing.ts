import type {Writable} from 'node:stream'

import type {ChalkInstance} from 'chalk'

import {writeJsonStream} from './json.js'
import type {Progress} from './progress.js'

/** What a listing command shows besides its items: the same three steps for repositories, tags and sizes. */
export interface Listing<Item, Row> {
  /** `--json`: `{...head, "<key>": [items…], ...tail()}`, streamed item by item (tail is read at the end, for totals). */
  head: Record<string, unknown>
  key: string
  tail?: () => Record<string, unknown>
  /** The table rows of one item (none for an item that failed). */
  rows: (item: Item) => Row[]
  /** Rows after the items' rows (a TOTAL line), given the items' rows. */
  footer?: (rows: Row[]) => Row[]
  /** The table, with its columns (beside their rows, in output/); not printed when there are no rows at all. */
  table: (rows: Row[], chalk: ChalkInstance) => string
  /** The closing count line on stderr (not with --quiet). */
  count: (done: {items: number; rows: number; failures: number}) => string
  /** Failure lines of one item (a partial failure: the command ends with them and exit 13). */
  failures?: (item: Item) => string[]
  /** A spinner the caller started, and its text after each item (undefined: keep the text). */
  progress?: {spinner: Progress; text: (item: Item, index: number) => string | undefined}
}

export interface ListingOutput {
  json: boolean
  quiet: boolean
  chalk: ChalkInstance
  stdout: Writable
  stderr: {write(text: string): unknown}
}

/**
 * Streams the items as JSON, or collects them into a table and a count line. Returns how many items came
 * and the failure lines of those that failed, for the command to end with; the spinner is stopped
 * whatever happens.
 */
export async function renderListing<Item, Row>(
  items: AsyncIterable<Item>,
  listing: Listing<Item, Row>,
  output: ListingOutput,
): Promise<{items: number; failures: string[]}> {
  const failures: string[] = []
  let count = 0
  const watched = (async function* () {
    for await (const item of items) {
      count++
      const text = listing.progress?.text(item, count)
      if (text !== undefined) listing.progress?.spinner.update(text)
      failures.push(...(listing.failures?.(item) ?? []))
      yield item
    }
  })()
  try {
    if (output.json) {
      await writeJsonStream(output.stdout, listing.head, listing.key, watched, listing.tail)
      return {items: count, failures}
    }
    const rows: Row[] = []
    for await (const item of watched) rows.push(...listing.rows(item))
    listing.progress?.spinner.stop()
    const all = [...rows, ...(listing.footer?.(rows) ?? [])]
    if (all.length > 0) output.stdout.write(`${listing.table(all, output.chalk)}\n`)
    if (!output.quiet) output.stderr.write(`${listing.count({items: count, rows: rows.length, failures: failures.length})}\n`)
    return {items: count, failures}
  } finally {
    listing.progress?.spinner.stop()
  }
}
