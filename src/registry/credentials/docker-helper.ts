import {ConfigError} from '../../errors.js'

/** What `docker-credential-NAME get` answers (Docker's credential-helper protocol). */
export interface HelperCredential {
  username: string
  secret: string
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const NOT_FOUND = /credentials not found/i

/**
 * Runs `docker-credential-NAME get` with the server URL on stdin and parses `{Username, Secret}`.
 * "credentials not found" is an answer (undefined); a missing or failing helper is a config error.
 */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
  options: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {},
): Promise<HelperCredential | undefined> {
  if (!HELPER_NAME.test(helper))
    return Promise.reject(new ConfigError(`invalid credential helper name "${helper}" in Docker's config.json`))
  const program = `docker-credential-${helper}`
  return new Promise((resolve, reject) => {
    // Loaded here, not at start-up: most runs never ask a helper, and node:child_process costs start-up time.
    const child = process
      .getBuiltinModule('node:child_process')
      .execFile(
        program,
        ['get'],
        {timeout: options.timeoutMs ?? 30_000, maxBuffer: 1024 * 1024, env: options.env ?? process.env},
        (error, stdout, stderr) => {
          if (error) {
            const code = (error as NodeJS.ErrnoException).code
            if (code === 'ENOENT') return reject(new ConfigError(`credential helper ${program} (from Docker's config.json) is not on PATH`))
            if (NOT_FOUND.test(stdout) || NOT_FOUND.test(stderr)) return resolve(undefined)
            const why = (stderr || stdout).trim().split('\n')[0] || error.message
            return reject(new ConfigError(`credential helper ${program} failed for ${serverUrl}: ${why}`))
          }
          let parsed: unknown
          try {
            parsed = JSON.parse(stdout)
          } catch {
            return reject(new ConfigError(`credential helper ${program} printed something other than JSON`))
          }
          const {Username: username, Secret: secret} = (parsed ?? {}) as Record<string, unknown>
          if (typeof username !== 'string' || typeof secret !== 'string')
            return reject(new ConfigError(`credential helper ${program} answered without Username/Secret strings`))
          resolve(secret === '' ? undefined : {username, secret})
        },
      )
    child.stdin?.on('error', () => {})
    child.stdin?.end(serverUrl)
  })
}
