import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {parse} from 'yaml'

import {readDigestLists} from './in-use.js'
import {type CleanupRules, hasDeletionRule, parseDuration, refuseZeroKeep} from './policy.js'
import {yamlProblem} from '../config/config.js'
import {UsageError} from '../errors.js'

/** One rule of a policy file: retention rules for the repositories its pattern matches. */
export interface PolicyRule {
  repositories: RegExp
  rules: CleanupRules
  /** Lists of digests in use (paths resolved against the policy's directory; `-` is stdin), read by loadInUseLists. */
  keepDigestsFrom?: string[]
}

const KEYS = [
  'repositories',
  'match',
  'keep',
  'keep_last',
  'keep_last_tags',
  'keep_semver_latest',
  'older_than',
  'delete_undated',
  'orphans',
  'keep_digests_from',
] as const

function fail(path: string, where: string, reason: string): never {
  throw new UsageError(`policy ${path}: ${where}: ${reason}`)
}

function regex(path: string, where: string, value: unknown): RegExp | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') fail(path, where, 'must be a regular expression string')
  try {
    return new RegExp(value)
  } catch (error) {
    fail(path, where, `invalid regular expression: ${(error as Error).message}`)
  }
}

function count(path: string, where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(path, where, 'must be a whole number >= 0')
  return value
}

function paths(path: string, where: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry === ''))
    fail(path, where, 'must be a file path or a list of file paths (- is stdin)')
  return (list as string[]).map((entry) => (entry === '-' ? entry : resolve(dirname(path), entry)))
}

function parseRule(path: string, value: unknown, index: number): PolicyRule {
  const at = `rules[${index}]`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, at, 'must be a mapping')
  const entry = value as Record<string, unknown>
  for (const key of Object.keys(entry)) {
    if (!(KEYS as readonly string[]).includes(key)) fail(path, `${at}.${key}`, `unknown key (expected one of ${KEYS.join(', ')})`)
  }
  if (entry.older_than !== undefined && typeof entry.older_than !== 'string')
    fail(path, `${at}.older_than`, 'must be a duration such as 30d')
  if (entry.delete_undated !== undefined && typeof entry.delete_undated !== 'boolean')
    fail(path, `${at}.delete_undated`, 'must be true or false')
  if (entry.orphans !== undefined && typeof entry.orphans !== 'boolean') fail(path, `${at}.orphans`, 'must be true or false')
  const match = regex(path, `${at}.match`, entry.match)
  const keep = regex(path, `${at}.keep`, entry.keep)
  const keepLast = count(path, `${at}.keep_last`, entry.keep_last)
  const keepLastTags = count(path, `${at}.keep_last_tags`, entry.keep_last_tags)
  const keepSemverLatest = count(path, `${at}.keep_semver_latest`, entry.keep_semver_latest)
  const rules: CleanupRules = {
    ...(match ? {match} : {}),
    ...(keep ? {keep} : {}),
    ...(keepLast === undefined ? {} : {keepLast}),
    ...(keepLastTags === undefined ? {} : {keepLastTags}),
    ...(keepSemverLatest === undefined ? {} : {keepSemverLatest}),
    ...(entry.older_than === undefined ? {} : {olderThanMs: parseDuration(entry.older_than as string, `policy ${path}: ${at}.older_than`)}),
    ...(entry.delete_undated ? {deleteUndated: true} : {}),
    ...(entry.orphans ? {orphans: true} : {}),
    source: 'policy',
  }
  refuseZeroKeep(rules, `policy ${path}: ${at}.`)
  if (!hasDeletionRule(rules)) fail(path, at, 'needs keep_last, keep_last_tags, older_than or match (otherwise it would delete every tag)')
  const keepDigestsFrom = paths(path, `${at}.keep_digests_from`, entry.keep_digests_from)
  return {
    repositories: regex(path, `${at}.repositories`, entry.repositories) ?? /(?:)/,
    rules,
    ...(keepDigestsFrom ? {keepDigestsFrom} : {}),
  }
}

/** Reads and validates a cleanup policy file; every error is one line naming the key. */
export function readPolicy(path: string): PolicyRule[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(
      `policy ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    )
  }
  let doc: unknown
  try {
    doc = parse(text)
  } catch (error) {
    throw new UsageError(`policy ${path}: invalid YAML: ${yamlProblem((error as Error).message)}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(path, 'top level', 'must be a mapping with a `rules` list')
  for (const key of Object.keys(doc)) if (key !== 'rules' && key !== 'version') fail(path, key, 'unknown key (expected rules, version)')
  const {rules, version} = doc as {rules?: unknown; version?: unknown}
  if (version !== undefined && version !== 1) fail(path, 'version', 'must be 1')
  if (!Array.isArray(rules) || rules.length === 0) fail(path, 'rules', 'must be a non-empty list')
  return rules.map((rule, index) => parseRule(path, rule, index))
}

/** The first rule whose `repositories` pattern matches; none → the repository is left alone. */
export function rulesFor(policy: PolicyRule[], repository: string): CleanupRules | undefined {
  return policy.find((rule) => rule.repositories.test(repository))?.rules
}

/** The policy with each rule's in-use lists read into its rules (every file once). */
export async function loadInUseLists(policy: PolicyRule[]): Promise<PolicyRule[]> {
  const lists = await readDigestLists(
    policy.flatMap((rule) => rule.keepDigestsFrom ?? []),
    () => 'keep_digests_from',
  )
  return policy.map((rule) =>
    rule.keepDigestsFrom
      ? {...rule, rules: {...rule.rules, inUse: new Set(rule.keepDigestsFrom.flatMap((path) => [...lists.get(path)!]))}}
      : rule,
  )
}
