import type {Ora} from 'ora'

/**
 * A spinner on stderr, only when stderr is a TTY of known width and not quiet; otherwise every call is
 * a no-op. A terminal reporting 0 columns (`script` without a size, some `docker run -t`) is left
 * alone: ora divides by the width and would clear lines forever.
 */
export interface Progress {
  update(text: string): void
  stop(): void
}

export function startProgress(text: string, options: {quiet?: boolean; stream?: NodeJS.WriteStream} = {}): Progress {
  const stream = options.stream ?? process.stderr
  // A terminal reporting 0 columns (script -qc, some docker -t) sends ora into an endless redraw.
  if (options.quiet || !stream.isTTY || !stream.columns) return {update() {}, stop() {}}
  let current = text
  let stopped = false
  let spinner: Ora | undefined
  // ora and its dependencies cost ~60 ms of start-up: load them only when a spinner can show.
  void import('ora').then(
    ({default: ora}) => {
      if (!stopped) spinner = ora({text: current, stream, discardStdin: false}).start()
    },
    () => undefined,
  )
  return {
    update(next: string) {
      current = next
      if (spinner) spinner.text = next
    },
    stop() {
      stopped = true
      spinner?.stop()
    },
  }
}

/** Drains a stream with a spinner on a terminal; `total` adds an `n/total` count to the text. */
export async function collectWithProgress<T>(
  items: AsyncIterable<T>,
  label: string,
  options: {quiet?: boolean; total?: number} = {},
): Promise<T[]> {
  const progress = startProgress(label, {quiet: options.quiet ?? false})
  const collected: T[] = []
  try {
    for await (const item of items) {
      collected.push(item)
      if (options.total !== undefined) progress.update(`${label}: ${collected.length}/${options.total}`)
    }
  } finally {
    progress.stop()
  }
  return collected
}
