import type {CleanupHint} from './cleanup/hints.js'
import type {Hint} from './registry/hints.js'

/**
 * Typed errors with a one-line message and a documented exit code (docs/exit-codes.md).
 * The CLI's single error handler turns any ReglensError into `reglens: <message>` on stderr.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  network: 4,
  tls: 5,
  unauthorized: 6,
  denied: 7,
  notFound: 8,
  unsupported: 9,
  rateLimited: 10,
  serverError: 11,
  badResponse: 12,
  partial: 13,
  policyViolation: 14,
  aborted: 15,
  scannerFailed: 16,
  /** 128 + SIGINT, the shell's convention; also after SIGTERM during a delete (which stops cleanly). */
  interrupted: 130,
} as const

export type ExitCodeName = keyof typeof ExitCode

export class ReglensError extends Error {
  readonly exitCode: number
  constructor(
    message: string,
    readonly kind: ExitCodeName,
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = 'ReglensError'
    this.exitCode = ExitCode[kind]
  }
}

/** Bad input from the user: flags, references, regexes. Raised before any request is sent. */
export class UsageError extends ReglensError {
  constructor(message: string) {
    super(message, 'usage')
    this.name = 'UsageError'
  }
}

export class ConfigError extends ReglensError {
  constructor(message: string) {
    super(message, 'config')
    this.name = 'ConfigError'
  }
}

/**
 * An error answered by (or about) a registry: carries the HTTP status and registry error code when known,
 * and the hint its message gives (src/registry/hints.ts, src/cleanup/hints.ts), if any.
 */
export class RegistryError extends ReglensError {
  constructor(
    message: string,
    kind: ExitCodeName,
    readonly details: {status?: number; code?: string; url?: string; hint?: Hint | CleanupHint} = {},
    options?: {cause?: unknown},
  ) {
    super(message, kind, options)
    this.name = 'RegistryError'
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
