import type {ChalkInstance} from 'chalk'

import {formatBytes} from './bytes.js'
import {shortDigest} from './digest.js'
import {type SizeRow, sizeRows} from './image.js'
import {writeJsonStream} from './json.js'
import type {ListingOutput} from './listing.js'
import {collectWithProgress, startProgress} from './progress.js'
import {renderTable} from './table.js'
import {failureLine} from './failure-line.js'
import type {TagListEnvironment, TagsToShow} from '../image/tag-listing.js'
import type {TagSummary} from '../image/tags.js'
import type {TagOfDigest} from '../image/tags-by-digest.js'

/** `tags list --details`: one row per tag and platform, failed tags marked. */
function renderTagDetails(rows: readonly TagSummary[], chalk: ChalkInstance, options: {exact: boolean}): string {
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
function renderTagsOfDigest(rows: readonly TagOfDigest[], chalk: ChalkInstance): string {
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

function hiddenReferrersLine(count: number): string {
  return `${count} referrer ${count === 1 ? 'tag' : 'tags'} (signatures, attestations, SBOMs) not shown; --show-referrers lists them`
}

/** The spinners and the hidden-referrers notice of `tags list` while its tags are listed and read. */
export function tagListNotices(
  output: Pick<ListingOutput, 'json' | 'quiet' | 'stderr'>,
): Required<Pick<TagListEnvironment, 'progress' | 'listed'>> {
  return {
    // JSON readers get a spinner only while every tag is described to order them (nothing streams meanwhile).
    progress: (stage, text) => startProgress(text, {quiet: output.quiet || (output.json && stage !== 'ordering')}),
    listed: (hidden) => {
      if (hidden > 0 && !output.quiet) output.stderr.write(`${hiddenReferrersLine(hidden)}\n`)
    },
  }
}

/**
 * `tags list`: JSON (docs/json.md, docs/json/image.md) or a table on stdout, then the count line on stderr. Returns the
 * failure lines of tags that could not be described, and of how many, for the command to end with.
 */
export async function renderTagList(
  shown: TagsToShow,
  head: {registry: string; repository: string},
  output: ListingOutput & {exact: boolean},
): Promise<{failures: string[]; total: number}> {
  const count = (n: number, where = '') => {
    if (!output.quiet) output.stderr.write(`${n} ${n === 1 ? 'tag' : 'tags'}${where} in ${head.registry}/${head.repository}\n`)
  }
  const print = (text: string) => output.stdout.write(`${text}\n`)
  if (shown.kind === 'names') {
    if (output.json) await writeJsonStream(output.stdout, head, 'tags', shown.tags)
    else if (shown.tags.length > 0) print(renderTable(shown.tags, [{header: 'TAG', value: (row) => row.name}], {head: output.chalk.bold}))
    if (!output.json) count(shown.tags.length)
    return {failures: [], total: shown.tags.length}
  }
  if (shown.kind === 'digest') {
    if (output.json) await writeJsonStream(output.stdout, {...head, digest: shown.digest}, 'tags', shown.tags)
    else if (shown.tags.length > 0) print(renderTagsOfDigest(shown.tags, output.chalk))
    count(shown.tags.length, ` pointing at ${shown.digest}`)
    return {failures: [], total: shown.tags.length}
  }
  // Streamed as described: memory stays flat however many tags there are.
  if (output.json) await writeJsonStream(output.stdout, head, 'tags', shown.tags)
  else {
    const rows = Array.isArray(shown.tags)
      ? shown.tags
      : await collectWithProgress(shown.tags, `Describing tags of ${head.repository}`, {quiet: output.quiet, total: shown.count})
    if (rows.length > 0) print(renderTagDetails(rows, output.chalk, {exact: output.exact}))
    count(shown.count)
  }
  const failures = shown.failed.map((tag) => failureLine(tag.name, `${head.repository}:${tag.name}`, tag.error))
  return {failures, total: shown.count}
}
