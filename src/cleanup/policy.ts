import type {Digest} from '../registry/digest.js'
import {UsageError} from '../errors.js'

/** One repository's retention rules. Every rule only ever keeps; what no rule keeps is deleted. */
export interface CleanupRules {
  /** Only tags matching this are candidates for deletion; the others are kept. */
  match?: RegExp
  /** Tags matching this are kept, with every other tag of their image. */
  keep?: RegExp
  /** The N newest candidate images (distinct manifests, by created date; an index counts once) are kept with all their tags. */
  keepLast?: number
  /** The N newest candidate tags (by their image's created date) are kept. */
  keepLastTags?: number
  /** The N highest semantic versions among candidate tags are kept. */
  keepSemverLatest?: number
  /** Only images created longer ago than this (milliseconds) may be deleted. */
  olderThanMs?: number
  /** Images without a created date may be deleted (they rank as the oldest); kept otherwise. */
  deleteUndated?: boolean
  /** Referrers whose subject is gone (orphans) are deleted; kept otherwise. */
  orphans?: boolean
  /** Digests in use: these images, every index listing them, and all their tags are kept. */
  inUse?: ReadonlySet<Digest>
  /** Where the rules were written: reasons name command-line flags or policy keys accordingly. */
  source?: 'flags' | 'policy'
}

export type RuleKey =
  'match' | 'keep' | 'keepLast' | 'keepLastTags' | 'keepSemverLatest' | 'olderThanMs' | 'deleteUndated' | 'orphans' | 'inUse'

const RULE_NAMES: Record<RuleKey, {flag: string; key: string}> = {
  match: {flag: '--match', key: 'match'},
  keep: {flag: '--keep', key: 'keep'},
  keepLast: {flag: '--keep-last', key: 'keep_last'},
  keepLastTags: {flag: '--keep-last-tags', key: 'keep_last_tags'},
  keepSemverLatest: {flag: '--keep-semver-latest', key: 'keep_semver_latest'},
  olderThanMs: {flag: '--older-than', key: 'older_than'},
  deleteUndated: {flag: '--delete-undated', key: 'delete_undated'},
  orphans: {flag: '--orphans', key: 'orphans'},
  inUse: {flag: '--keep-digests-from', key: 'keep_digests_from'},
}

/** A rule's name as the user wrote it: the flag on the command line, the key in a policy file. */
export function ruleName(rules: Pick<CleanupRules, 'source'>, key: RuleKey): string {
  return rules.source === 'policy' ? RULE_NAMES[key].key : RULE_NAMES[key].flag
}

/** Rules of a deletion request (`RuleOptions`) are named as flags, like rules with no recorded source. */
export const requestRuleName = (key: RuleKey): string => ruleName({source: 'flags'}, key)

/** The explicit way to delete every tag: every tag a candidate, and no keep rule. */
export const DELETE_EVERYTHING = {flags: "--match '.*'", policy: "match: '.*'"}

/**
 * Refuses a count of zero for keep-last / keep-last-tags (a CI variable set to 0 would wipe a
 * repository); `where` prefixes the message (a policy file's path and rule). Deleting everything
 * stays possible, said explicitly (DELETE_EVERYTHING).
 */
export function refuseZeroKeep(rules: CleanupRules, where = ''): void {
  for (const key of ['keepLast', 'keepLastTags'] as const) {
    if (rules[key] !== 0) continue
    const [name, explicit] =
      rules.source === 'policy' ? [`${ruleName(rules, key)}:`, DELETE_EVERYTHING.policy] : [ruleName(rules, key), DELETE_EVERYTHING.flags]
    throw new UsageError(
      `${where}${name} 0 would delete every image; to delete every tag on purpose, say so with ${explicit} and no keep rule`,
    )
  }
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
  return rules.match !== undefined || rules.keepLast !== undefined || rules.keepLastTags !== undefined || rules.olderThanMs !== undefined
}
