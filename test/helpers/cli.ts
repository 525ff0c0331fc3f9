import {spawn} from 'node:child_process'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  env?: Record<string, string>
  input?: string
}

/**
 * Runs the built CLI as a user would (no TTY, a clean config location unless given) and returns its exit
 * code, stdout and stderr. Most runs happen in this process (a Node start-up per call made the suite
 * slow); a run that reads stdin (`--password-stdin`) gets a real process, like `runCliProcess`.
 * REGLENS_TEST_CLI=process runs every call as a process (to compare, or to rule the in-process run out).
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  // The password read from stdin is kept for the life of the process: only a fresh process reads it again.
  if (args.includes('--password-stdin') || process.env.REGLENS_TEST_CLI === 'process') return runCliProcess(args, options)
  return runCliInProcess(args, options)
}

/** The environment a CLI run sees: nothing of the test process but PATH, HOME and the run's temp root. */
function cliEnvironment(env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...(process.env.TMPDIR ? {TMPDIR: process.env.TMPDIR} : {}),
    XDG_CONFIG_HOME: '/nonexistent-reglens-test',
    ...env,
  }
}

/** Runs `node bin/run.js` in a child process: for what only a process shows (its exit status, start-up, stdin). */
export function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {env: cliEnvironment(options.env), stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
    child.stdin.end(options.input ?? '')
  })
}

// In-process runs patch process-wide state (env, stdio, exit): one at a time.
let queue: Promise<unknown> = Promise.resolve()

function runCliInProcess(args: string[], options: CliOptions): Promise<CliResult> {
  const result = queue.then(() => runOnce(args, options))
  queue = result.catch(() => undefined)
  return result
}

/**
 * One run of the CLI with what a child process would have: the given environment only, a non-TTY stdin
 * holding `input`, non-TTY stdout/stderr captured separately, and the exit code the process would end with
 * (`process.exit(n)`, else `process.exitCode`, else 0; errors oclif's handler sees end as they would there).
 */
async function runOnce(args: string[], options: CliOptions): Promise<CliResult> {
  const {handle, run} = await import('@oclif/core')
  const output = {stdout: '', stderr: ''}
  let exited: number | undefined
  const restore = [
    replaceEnvironment(cliEnvironment(options.env)),
    captureStream(process.stdout, (text) => exited === undefined && (output.stdout += text)),
    captureStream(process.stderr, (text) => exited === undefined && (output.stderr += text)),
    replaceStdin(options.input ?? ''),
    replaceProperty(process, 'exit', ((code?: number | string | null) => {
      // A process would stop here; the run goes on in this one, but nothing more it writes counts.
      exited ??= Number(code ?? process.exitCode ?? 0)
    }) as typeof process.exit),
  ]
  const exitCodeBefore = process.exitCode
  process.exitCode = undefined
  try {
    try {
      // oclif's Config is loaded afresh each run, from the package.json and dist/ bin/run.js uses (cheap: from
      // the manifest): its help rewrites the ids of loaded commands, so a shared Config would lose `tags:list`.
      await run(args, ROOT)
    } catch (error) {
      await handle(error as Error)
    }
    // Write callbacks run on the next tick (captureStream): one may call process.exit, which must still
    // be the stand-in then, not the real one that would end the test run.
    await new Promise((resolve) => setImmediate(resolve))
    return {code: exited ?? Number(process.exitCode ?? 0), ...output}
  } finally {
    process.exitCode = exitCodeBefore
    for (const undo of restore.reverse()) undo()
  }
}

function replaceEnvironment(env: Record<string, string>): () => void {
  const saved = {...process.env}
  const assign = (values: NodeJS.ProcessEnv) => {
    for (const key of Object.keys(process.env)) delete process.env[key]
    Object.assign(process.env, values)
  }
  assign(env)
  return () => assign(saved)
}

/** Collects what is written to the stream (console.log and oclif included) and makes it look like a pipe. */
function captureStream(stream: NodeJS.WriteStream, collect: (text: string) => void): () => void {
  const write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((error?: Error | null) => void),
    done?: (error?: Error | null) => void,
  ) => {
    collect(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'))
    const callback = typeof encoding === 'function' ? encoding : done
    if (callback) process.nextTick(callback)
    return true
  }) as typeof stream.write
  const undo = [
    replaceProperty(stream, 'write', write),
    replaceProperty(stream, 'isTTY', false),
    replaceProperty(stream, 'columns', undefined as unknown as number),
  ]
  return () => undo.reverse().forEach((step) => step())
}

function replaceStdin(input: string): () => void {
  const stdin = Object.assign(Readable.from(input === '' ? [] : [Buffer.from(input)]), {isTTY: false})
  const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin')
  Object.defineProperty(process, 'stdin', {configurable: true, enumerable: true, get: () => stdin})
  return () => {
    if (descriptor) Object.defineProperty(process, 'stdin', descriptor)
  }
}

/** Sets an own property and returns how to put back exactly what was there (including its absence). */
function replaceProperty<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key)
  Object.defineProperty(target, key, {configurable: true, enumerable: true, writable: true, value})
  return () => {
    if (descriptor) Object.defineProperty(target, key, descriptor)
    else delete target[key]
  }
}
