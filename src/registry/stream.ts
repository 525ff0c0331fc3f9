/** Filters and truncates an async stream without buffering it. */
export async function* filterStream<T>(items: AsyncIterable<T>, options: {match?: (item: T) => boolean; limit?: number}): AsyncGenerator<T> {
  let count = 0
  if (options.limit !== undefined && options.limit <= 0) return
  for await (const item of items) {
    if (options.match && !options.match(item)) continue
    yield item
    count++
    if (options.limit !== undefined && count >= options.limit) return
  }
}
