import {spawn, spawnSync} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'
import {performance} from 'node:perf_hooks'

/** Where an executable is on PATH, or undefined (used to skip absent peers with a reason). */
export function which(name) {
  if (name.includes('/')) return canRun(name) ? name : undefined
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name)
    if (canRun(candidate)) return candidate
  }
  return undefined
}

function canRun(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** First line of `cmd --version`-like output, for the results' environment block. */
export function versionOf(command, args = ['--version']) {
  const result = spawnSync(command, args, {encoding: 'utf8', timeout: 10_000})
  return `${result.stdout ?? ''}${result.stderr ?? ''}`
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim()
}

/**
 * Runs a command to completion, collecting stdout/stderr (or discarding stdout when `discardStdout`,
 * so a 100k-line listing is not buffered by the benchmark itself). Resolves with the wall time.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stdoutBytes = 0
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdoutBytes += chunk.length
      if (!options.discardStdout) stdout += chunk
    })
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const ms = performance.now() - started
      if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`))
        return
      }
      resolve({code, ms, stdout, stdoutBytes, stderr})
    })
  })
}
