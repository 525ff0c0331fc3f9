import type {ContentCache} from './content-cache.js'
import type {DescribeOptions} from './describe.js'
import {SizeTally} from './size.js'
import {summarizeTags, type TagSummary} from './tags.js'
import type {Repository} from '../registry/reference.js'
import {sortTags} from '../registry/tag-order.js'
import {listTags} from '../registry/tags.js'

export interface TagSizes {
  /** How many tags the repository has (all of them are sized). */
  count: number
  /** Every described blob, each distinct one counted once: the repository's unique total once `tags` is read. */
  tally: SizeTally
  /** Each tag's summary in name order, described as it is read. */
  tags: AsyncIterable<TagSummary>
}

/**
 * Every tag of a repository, sized (`image size --all-tags`). The tags are listed first; `beforeManifests`
 * is told how many manifests will be read (a pull quota check on Docker Hub) before any is.
 */
export async function sizeTags(
  cache: ContentCache,
  repository: Repository,
  options: Pick<DescribeOptions, 'platform' | 'configs'> & {beforeManifests?: (tags: number) => Promise<void>},
): Promise<TagSizes> {
  const names: string[] = []
  for await (const name of listTags(cache.client, repository)) names.push(name)
  const sorted = sortTags(names, 'name')
  await options.beforeManifests?.(sorted.length)
  const tally = new SizeTally()
  const tags = summarizeTags(cache, repository, sorted, {
    ...(options.platform ? {platform: options.platform} : {}),
    ...(options.configs ? {configs: options.configs} : {}),
    tally,
  })
  return {count: sorted.length, tally, tags}
}
