import type {ChalkInstance} from 'chalk'

import {formatBytes} from './bytes.js'
import {failureLine} from './failure-line.js'
import type {Listing} from './listing.js'
import type {Progress} from './progress.js'
import {renderTable} from './table.js'
import type {RepositorySize} from '../image/repository-size.js'
import type {SizeTally} from '../image/size.js'

/** `repos list` output: the names, or with --size each repository's tags and bytes and the registry total. */

const plural = (count: number) => `${count} ${count === 1 ? 'repository' : 'repositories'}`

export function repositoryListing(host: string, spinner?: Progress): Listing<{name: string}, {name: string}> {
  return {
    head: {registry: host},
    key: 'repositories',
    rows: (item) => [item],
    table: (rows, chalk) => renderTable(rows, [{header: 'REPOSITORY', value: (row) => row.name}], {head: chalk.bold}),
    count: ({rows}) => `${plural(rows)} on ${host}`,
    ...(spinner
      ? {progress: {spinner, text: (_item, index) => (index % 1000 === 0 ? `Listing repositories of ${host}: ${index}` : undefined)}}
      : {}),
  }
}

export type SizedRepository = Pick<RepositorySize, 'name' | 'tags' | 'size' | 'blobs'> & {failed?: RepositorySize['failed']}

interface RepositorySizeRow {
  name: string
  tags: string
  size: number
}

/** The JSON item of a sized repository (`failed` only when some tags could not be sized). */
function sizedRepository(repository: RepositorySize): SizedRepository {
  return {
    name: repository.name,
    tags: repository.tags,
    size: repository.size,
    blobs: repository.blobs,
    ...(repository.failed.length > 0 ? {failed: repository.failed} : {}),
  }
}

function repositorySizeTable(rows: RepositorySizeRow[], chalk: ChalkInstance, exact: boolean): string {
  return renderTable(
    rows,
    [
      {header: 'REPOSITORY', value: (row) => row.name},
      {header: 'TAGS', value: (row) => row.tags, align: 'right'},
      {header: 'SIZE', value: (row) => formatBytes(row.size, {exact}), align: 'right'},
    ],
    {head: chalk.bold},
  )
}

/** `repos list --size`: the registry-wide total counts blobs shared by repositories once. */
/** The repositories as `repos list --size` shows them (docs/json.md), as they are sized. */
export async function* sizedRepositories(repositories: AsyncIterable<RepositorySize>): AsyncGenerator<SizedRepository> {
  for await (const repository of repositories) yield sizedRepository(repository)
}

export function repositorySizeListing(
  host: string,
  registry: SizeTally,
  options: {exact: boolean; spinner: Progress},
): Listing<SizedRepository, RepositorySizeRow> {
  return {
    head: {registry: host},
    key: 'repositories',
    tail: () => ({size: registry.total, blobs: registry.blobs}),
    rows: (item) => [{name: item.name, tags: String(item.tags), size: item.size}],
    footer: () => [{name: 'TOTAL (distinct blobs)', tags: '', size: registry.total}],
    table: (rows, chalk) => repositorySizeTable(rows, chalk, options.exact),
    count: ({rows}) => `${plural(rows)} on ${host}`,
    failures: (item) =>
      (item.failed ?? []).map((failure) => failureLine(`${item.name}:${failure.tag}`, `${item.name}:${failure.tag}`, failure.error)),
    progress: {spinner: options.spinner, text: (item, index) => `Sizing repositories of ${host}: ${index} (${item.name})`},
  }
}
