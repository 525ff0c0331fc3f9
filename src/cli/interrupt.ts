/**
 * Runs `work` with SIGINT and SIGTERM turned into an abort of its signal instead of an instant exit,
 * so work that must not stop half-way (an untag through a placeholder) finishes and what was done
 * can be reported. The handlers are removed afterwards; `notice` goes to stderr on the first signal.
 */
export async function untilInterrupted<T>(
  work: (signal: AbortSignal) => Promise<T>,
  notice: string | undefined,
): Promise<{result: T; interrupted: boolean}> {
  const controller = new AbortController()
  const onSignal = () => {
    if (!controller.signal.aborted && notice) process.stderr.write(`${notice}\n`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const result = await work(controller.signal)
    return {result, interrupted: controller.signal.aborted}
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
