/** Pure arithmetic for the benchmark: medians over rounds, ratios, and the figures printed in the table. */

/** Median of a list of numbers (mean of the two middle values for an even count); NaN when empty. */
export function median(values) {
  const finite = values.filter((value) => Number.isFinite(value))
  if (finite.length === 0) return Number.NaN
  const sorted = [...finite].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** a / b, or NaN when either side is missing or b is zero (a skipped peer has no ratio). */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN
  return a / b
}

/** Events per second from a count and a duration in milliseconds. */
export function perSecond(count, ms) {
  return ratio(count * 1000, ms)
}

/** Rounds to `digits` significant decimals for JSON output; keeps NaN out of JSON as null. */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return null
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Human figure for the table: `—` for missing values. */
export function fmt(value, unit = '', digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return `${value.toFixed(digits)}${unit}`
}

/** Summarizes rounds of {ms, ...numbers} into medians of every numeric field. */
export function medians(rounds) {
  const keys = new Set(rounds.flatMap((r) => Object.keys(r).filter((key) => typeof r[key] === 'number')))
  return Object.fromEntries([...keys].map((key) => [key, median(rounds.map((r) => r[key]))]))
}
