/**
 * What a library error suggests doing, in words that name no application: each error that carries one
 * says so in `details.hint`, and its message contains the phrase. An application may put its own way
 * of doing it in place of the phrase (the CLI names its flags and commands: src/cli/hints.ts).
 */
export const HINTS = {
  /** A TLS certificate was not trusted. */
  untrustedCertificate: 'trust its CA certificate, or skip verification at your own risk',
  /** A token server wanted credentials and none were found. */
  noCredentials: 'log in (docker login) or set REGLENS_USERNAME/REGLENS_PASSWORD',
  /** The registry has no catalog, or it is not readable with these credentials. */
  noCatalog: 'name repositories directly',
  /** An https registry named a plain-http token realm; only an endpoint marked insecure may use it. */
  plainHttpRealm: 'mark the endpoint insecure to allow it',
} as const

export type Hint = keyof typeof HINTS

/**
 * Settings a library message names (a warning about a setting in force, an error caused by one), in
 * words an application may replace with its own names for them (the CLI: its flags).
 */
export const SETTINGS = {
  /** `RegistryEndpoint.insecure`: TLS unverified, plain-http token realms allowed. */
  insecure: 'insecure endpoint',
  /** `TransportOptions` timeout: how long one try may wait for data. */
  timeout: 'per-try timeout',
} as const

export type Setting = keyof typeof SETTINGS
