import {UsageError} from '../errors.js'

/** One repository's retention rules. Every rule only ever keeps; what no rule keeps is deleted. */
export interface CleanupRules {
  /** Only tags matching this are candidates for deletion; the others are kept. */
  match?: RegExp
  /** Tags matching this are kept. */
  keep?: RegExp
  /** The N newest candidate tags (by the image's created date) are kept. */
  keepLast?: number
  /** The N highest semantic versions among candidate tags are kept. */
  keepSemverLatest?: number
  /** Only images created longer ago than this (milliseconds) may be deleted. */
  olderThanMs?: number
  /** Images without a created date may be deleted (they rank as the oldest); kept otherwise. */
  deleteUndated?: boolean
}

const UNIT_MS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}

/** `30d`, `12h`, `2w`, `90m`, `45s` → milliseconds. */
export function parseDuration(value: string, what: string): number {
  const match = /^(\d+)([smhdw])$/.exec(value.trim())
  if (!match) throw new UsageError(`${what}: invalid duration "${value}" (expected a number and a unit s, m, h, d or w, e.g. 30d)`)
  return Number(match[1]) * UNIT_MS[match[2]]
}

export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms / 1000}s`
}

/** True when the rules could delete something; a rule-less run would delete every tag. */
export function hasDeletionRule(rules: CleanupRules): boolean {
  return rules.match !== undefined || rules.keepLast !== undefined || rules.olderThanMs !== undefined
}
