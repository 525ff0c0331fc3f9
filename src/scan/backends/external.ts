import {spawn} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

import {ReglensError} from '../../errors.js'
import type {RegistryEndpoint} from '../../registry/endpoint.js'

export type ExternalScanner = 'trivy' | 'grype'

/** The scanner binary's path when it is on PATH and executable. */
export function findOnPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const directory of path.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(directory, binary)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

export interface Credentials {
  username: string
  password: string
}

export interface ExternalRun {
  command: string
  args: string[]
  /** Variables added to the scanner's environment: credentials travel here, never on the command line. */
  env: Record<string, string>
}

/** Whether the registry is reached over plain HTTP or without TLS verification. */
function insecureness(endpoint: RegistryEndpoint): {http: boolean; skipVerify: boolean} {
  return {http: endpoint.url.startsWith('http://'), skipVerify: endpoint.insecure}
}

/**
 * The command line and environment for scanning `imageRef` (registry/repo@digest) remotely:
 * trivy's TRIVY_USERNAME/TRIVY_PASSWORD/TRIVY_INSECURE, grype's GRYPE_REGISTRY_AUTH_* and
 * GRYPE_REGISTRY_INSECURE_*. Neither pulls through a Docker daemon.
 */
export function externalRun(
  scanner: ExternalScanner,
  binary: string,
  endpoint: RegistryEndpoint,
  imageRef: string,
  options: {platform?: string; credentials?: Credentials} = {},
): ExternalRun {
  const {http, skipVerify} = insecureness(endpoint)
  if (scanner === 'trivy') {
    return {
      command: binary,
      args: [
        'image',
        '--format',
        'json',
        '--quiet',
        '--image-src',
        'remote',
        ...(options.platform ? ['--platform', options.platform] : []),
        imageRef,
      ],
      env: {
        ...(options.credentials ? {TRIVY_USERNAME: options.credentials.username, TRIVY_PASSWORD: options.credentials.password} : {}),
        // trivy's --insecure covers both: it skips TLS verification and falls back to plain HTTP.
        ...(http || skipVerify ? {TRIVY_INSECURE: 'true'} : {}),
      },
    }
  }
  return {
    command: binary,
    args: [`registry:${imageRef}`, '-o', 'json', ...(options.platform ? ['--platform', options.platform] : [])],
    env: {
      ...(options.credentials
        ? {
            GRYPE_REGISTRY_AUTH_AUTHORITY: endpoint.host,
            GRYPE_REGISTRY_AUTH_USERNAME: options.credentials.username,
            GRYPE_REGISTRY_AUTH_PASSWORD: options.credentials.password,
          }
        : {}),
      ...(http ? {GRYPE_REGISTRY_INSECURE_USE_HTTP: 'true'} : {}),
      ...(skipVerify ? {GRYPE_REGISTRY_INSECURE_SKIP_TLS_VERIFY: 'true'} : {}),
    },
  }
}

/** Runs the scanner and returns its stdout (the JSON report); a failure is one line with its last stderr line. */
export function runExternal(run: ExternalRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.command, run.args, {env: {...process.env, ...run.env}, stdio: ['ignore', 'pipe', 'pipe']})
    const stdout: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)))
    child.on('error', (error) => reject(new ReglensError(`cannot run ${run.command}: ${error.message}`, 'unsupported')))
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'))
      const last =
        stderr
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .pop() ?? 'no error output'
      reject(new ReglensError(`${run.command} exited with code ${code}: ${last}`, 'scannerFailed'))
    })
  })
}
