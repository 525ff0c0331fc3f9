import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {stringify} from 'yaml'

/**
 * Starts the real CNCF distribution registry (Debian's `docker-registry`) on 127.0.0.1 with its own
 * temp config and storage, for tests, the demo and the benchmark. Only its own PID is ever killed.
 */

export const REGISTRY_BINARY = process.env.REGLENS_REGISTRY_BINARY ?? '/usr/bin/docker-registry'
export const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y docker-registry'

export interface RegistryServerOptions {
  /** Allow DELETE (default true). */
  deleteEnabled?: boolean
  /** Extra top-level config merged in (auth, http.tls, …). */
  config?: Record<string, unknown>
  /** Extra keys merged into the `http` section (tls, …). */
  http?: Record<string, unknown>
  /** Reuse a storage directory (e.g. to restart over the same data); a temp one otherwise. */
  storageDir?: string
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, as used in references. */
  host: string
  port: number
  /** `http://127.0.0.1:PORT` (https when TLS is configured). */
  url: string
  storageDir: string
  configPath: string
  logPath: string
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export function assertRegistryInstalled(): void {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(`the CNCF registry binary ${REGISTRY_BINARY} is missing; install it with: ${INSTALL_HINT}`)
  }
}

/** `clientAuth`: the registry demands a client certificate (mTLS), so any answer but "refused" means it is up. */
async function waitUntilServing(
  url: string,
  child: ChildProcess,
  logPath: string,
  insecureTls: boolean,
  clientAuth = false,
): Promise<void> {
  const {Agent, request} = await import('undici')
  const dispatcher = new Agent({connect: {rejectUnauthorized: !insecureTls}})
  const deadline = Date.now() + 15_000
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`docker-registry exited with ${child.exitCode}: ${readFileSync(logPath, 'utf8').slice(-2000)}`)
      try {
        const response = await request(`${url}/v2/`, {dispatcher})
        await response.body.dump()
        return
      } catch (error) {
        const code = (error as {code?: string}).code ?? (error as {cause?: {code?: string}}).cause?.code
        if (clientAuth && code !== 'ECONNREFUSED') return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    throw new Error(`docker-registry did not answer on ${url} within 15 s: ${readFileSync(logPath, 'utf8').slice(-2000)}`)
  } finally {
    await dispatcher.close()
  }
}

export async function startRegistry(options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  assertRegistryInstalled()
  const workDir = mkdtempSync(join(tmpdir(), 'reglens-registry-'))
  const storageDir = options.storageDir ?? join(workDir, 'storage')
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  const tls = options.http?.tls !== undefined
  const config = {
    version: 0.1,
    log: {level: 'warn', accesslog: {disabled: true}},
    storage: {
      filesystem: {rootdirectory: storageDir},
      delete: {enabled: options.deleteEnabled ?? true},
      maintenance: {uploadpurging: {enabled: false}},
    },
    http: {addr: host, secret: 'reglens-test-secret', ...options.http},
    ...options.config,
  }
  const configPath = join(workDir, 'config.yml')
  writeFileSync(configPath, stringify(config))
  const logPath = join(workDir, 'registry.log')
  const log = openSync(logPath, 'a')
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], {stdio: ['ignore', log, log], detached: false})
  const url = `${tls ? 'https' : 'http'}://${host}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(workDir, {recursive: true, force: true})
  }
  try {
    await waitUntilServing(url, child, logPath, tls, (options.http?.tls as {clientcas?: unknown} | undefined)?.clientcas !== undefined)
  } catch (error) {
    await stop()
    throw error
  }
  return {host, port, url, storageDir, configPath, logPath, stop}
}
