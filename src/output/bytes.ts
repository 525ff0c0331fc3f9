import prettyBytes from 'pretty-bytes'

/**
 * Sizes for humans in SI units, as Docker and registries' web UIs show them: kB = 10^3 bytes,
 * MB = 10^6, GB = 10^9 (three significant digits). `--bytes` prints the exact integer instead.
 */
export function humanBytes(bytes: number): string {
  return prettyBytes(bytes)
}

export function formatBytes(bytes: number, options: {exact?: boolean} = {}): string {
  return options.exact ? String(bytes) : humanBytes(bytes)
}
