/**
 * What scan messages suggest, and the scan options they name, in words that name no application (the
 * same mechanism as src/registry/hints.ts): the message contains the phrase, and an application may put
 * its own wording in its place (the CLI names its flags and commands: src/cli/hints.ts).
 */
export const SCAN_HINTS = {
  /** The builtin scanner has no advisory database yet. */
  noDatabase: 'update the advisory database (or import it from a directory offline)',
  /** The builtin scanner cannot read a layer; the external scanners can. */
  externalScanner: 'use the trivy or grype scanner',
  /** A named scanner binary is missing; the builtin scanner needs none. */
  builtinScanner: 'or use the builtin scanner',
  /** The database lacks an ecosystem's advisories; the ecosystem's name (quoted when it has spaces) follows. */
  fetchEcosystem: 'fetch the advisories of ecosystem',
} as const

export type ScanHint = keyof typeof SCAN_HINTS

/** Scan options (`ScanOptions`, `ScanTargetOptions`) that messages name; the CLI names its flags instead. */
export const SCAN_SETTINGS = {
  /** The scanner asked for (`ScanOptions.scanner`). */
  scanner: 'scanner choice',
  /** The platform to scan, for a multi-platform image. */
  platform: 'the platform option',
} as const

export type ScanSetting = keyof typeof SCAN_SETTINGS
