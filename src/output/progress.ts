import ora, {type Ora} from 'ora'

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
  if (options.quiet || !stream.isTTY || !stream.columns) return {update() {}, stop() {}}
  const spinner: Ora = ora({text, stream, discardStdin: false}).start()
  return {
    update(next: string) {
      spinner.text = next
    },
    stop() {
      spinner.stop()
    },
  }
}
