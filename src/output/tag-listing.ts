import type {ChalkInstance} from 'chalk'

import {formatBytes} from './bytes.js'
import {shortDigest} from './digest.js'
import {type SizeRow, sizeRows} from './image.js'
import {renderTable} from './table.js'
import {failureLine} from './failure-line.js'
import type {TagSummary} from '../image/tags.js'
import type {TagOfDigest} from '../image/tags-by-digest.js'
import type {Digest} from '../registry/digest.js'

/** `tags list --details`: one row per tag and platform, failed tags marked. */
export function renderTagDetails(rows: readonly TagSummary[], chalk: ChalkInstance, options: {exact: boolean}): string {
  const lines = rows.flatMap((row): SizeRow[] =>
    'error' in row
      ? [{tag: row.name, platform: '(failed)', digest: '', created: '-', size: 0}]
      : sizeRows(row, row.name).map((line) => ({...line, digest: row.digest})),
  )
  return renderTable(
    lines,
    [
      {header: 'TAG', value: (row) => row.tag ?? ''},
      {header: 'DIGEST', value: (row) => (row.digest ? shortDigest(row.digest) : '-')},
      {header: 'CREATED', value: (row) => row.created},
      {header: 'PLATFORM', value: (row) => row.platform},
      {header: 'SIZE', value: (row) => (row.digest ? formatBytes(row.size, {exact: options.exact}) : '-'), align: 'right'},
    ],
    {head: chalk.bold},
  )
}

/** `tags list --digest`: each tag with its own digest and, when it reaches the image through an index, that index. */
export function renderTagsOfDigest(rows: readonly TagOfDigest[], chalk: ChalkInstance): string {
  return renderTable(
    rows,
    [
      {header: 'TAG', value: (row) => row.name},
      {header: 'DIGEST', value: (row) => shortDigest(row.digest)},
      {header: 'VIA INDEX', value: (row) => (row.via ? shortDigest(row.via) : '-')},
    ],
    {head: chalk.bold},
  )
}

/** A referrer tag's row field: the digest of the image it belongs to. */
export const subjectField = (referrers: ReadonlyMap<string, Digest>, tag: string) =>
  referrers.has(tag) ? {subject: referrers.get(tag)!} : {}

/** Passes rows through with the subject of referrer tags, noting each failed tag as a `tag: reason` line. */
export async function* withSubjects(
  rows: AsyncIterable<TagSummary>,
  failed: string[],
  repository: string,
  referrers: ReadonlyMap<string, Digest>,
): AsyncGenerator<TagSummary> {
  for await (const row of rows) {
    if ('error' in row) failed.push(failureLine(row.name, `${repository}:${row.name}`, row.error))
    yield {...row, ...subjectField(referrers, row.name)}
  }
}

export function hiddenReferrersLine(count: number): string {
  return `${count} referrer ${count === 1 ? 'tag' : 'tags'} (signatures, attestations, SBOMs) not shown; --show-referrers lists them`
}
