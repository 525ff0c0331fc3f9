/** Filters and truncates an async stream without buffering it. */
export async function* filterStream<T>(
  items: AsyncIterable<T>,
  options: {match?: (item: T) => boolean; limit?: number},
): AsyncGenerator<T> {
  let count = 0
  if (options.limit !== undefined && options.limit <= 0) return
  for await (const item of items) {
    if (options.match && !options.match(item)) continue
    yield item
    count++
    if (options.limit !== undefined && count >= options.limit) return
  }
}

/**
 * Maps a stream through an async function with up to `window` calls started ahead of the consumer,
 * yielding results in input order: concurrency without buffering a whole listing. A failure is
 * raised when its turn comes, never as an unhandled rejection while it waits in the window.
 */
export async function* mapOrdered<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  map: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<R> {
  const pending: Promise<{ok: true; value: R} | {ok: false; error: unknown}>[] = []
  const settle = async () => {
    const outcome = await (pending.shift() as (typeof pending)[number])
    if (!outcome.ok) throw outcome.error
    return outcome.value
  }
  for await (const item of items) {
    pending.push(
      map(item).then(
        (value) => ({ok: true as const, value}),
        (error: unknown) => ({ok: false as const, error}),
      ),
    )
    if (pending.length >= window) yield await settle()
  }
  while (pending.length > 0) yield await settle()
}
