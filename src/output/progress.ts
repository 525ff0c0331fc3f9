import ora, {type Ora} from 'ora'

/** A spinner on stderr, only when stderr is a TTY and not quiet; otherwise every call is a no-op. */
export interface Progress {
  update(text: string): void
  stop(): void
}

export function startProgress(text: string, options: {quiet?: boolean; stream?: NodeJS.WriteStream} = {}): Progress {
  const stream = options.stream ?? process.stderr
  if (options.quiet || !stream.isTTY) return {update() {}, stop() {}}
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
