import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface MeasuredRun {
  /** Peak resident set of the CLI process, KiB. */
  kib: number
  ms: number
  /** User + system CPU time of the process, ms: what the run cost, whatever the machine's load. */
  cpuMs: number
  stdout: string
  stderr: string
  code: number
}

/** Runs the built CLI under GNU time and returns its peak resident memory, wall time and output. */
export function peakRss(args: string[], env: Record<string, string>): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kib=%M cpu-s=%U+%S', process.execPath, BIN, ...args], {
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_CONFIG_HOME: '/nonexistent-reglens-test', ...env},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', (error) => reject(new Error(`cannot run /usr/bin/time (apt-get install time): ${error.message}`)))
    child.on('close', (code) => {
      const match = /peak-rss-kib=(\d+) cpu-s=([\d.]+)\+([\d.]+)/.exec(stderr)
      if (!match) return reject(new Error(`no RSS measurement (is GNU time installed? apt-get install time): ${stderr}`))
      resolve({
        kib: Number(match[1]),
        ms: Date.now() - started,
        cpuMs: (Number(match[2]) + Number(match[3])) * 1000,
        stdout,
        stderr: stderr.replace(/peak-rss-kib=.*\n?/, ''),
        code: code ?? -1,
      })
    })
  })
}
