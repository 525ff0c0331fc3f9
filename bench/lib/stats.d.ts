// Types for the unit test of the benchmark's pure helpers (the bench itself is plain JavaScript).
export function median(values: number[]): number
export function ratio(a: number, b: number): number
export function perSecond(count: number, ms: number): number
export function round(value: number, digits?: number): number | null
export function fmt(value: number | null | undefined, unit?: string, digits?: number): string
export function medians(rounds: Record<string, unknown>[]): Record<string, number>
