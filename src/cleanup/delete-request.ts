import type {CleanupRules} from './policy.js'
import {parseDuration, refuseZeroKeep, requestRuleName} from './policy.js'
import {UsageError} from '../errors.js'

/** What `image delete` was asked to do, as plain data (the command builds it from its flags). */
export interface DeleteRequest {
  /** REF:TAG / REF@DIGEST, or repositories to clean up. */
  targets: string[]
  /** The registry named by --registry (or REGLENS_REGISTRY). */
  registry?: string
  rules: RuleOptions
  policy?: string
  allRepos: boolean
  /** --repos: only repositories matching this. */
  repos?: string
  /** A saved plan to apply (--plan). */
  plan?: string
  /** Write the plan here (--save-plan; implies dryRun). */
  savePlan?: string
  dryRun: boolean
  yes: boolean
  wholeImage: boolean
  force: boolean
  ignoreMissing: boolean
  concurrency: number
  quiet: boolean
  /** Whether stdin already carries the password (--password-stdin). */
  passwordOnStdin: boolean
}

/** Retention rules as given on the command line. */
export interface RuleOptions {
  keepLast?: number
  keepLastTags?: number
  olderThan?: string
  match?: string
  keep?: string
  keepSemverLatest?: number
  deleteUndated?: boolean
  keepDigestsFrom?: string[]
  /** --orphans: delete referrers whose subject is gone. */
  orphans?: boolean
}

/** Whether any retention rule was given: the request is a cleanup, not a list of references. */
export function hasRuleOptions(rules: RuleOptions): boolean {
  return Object.values(rules).some((value) => value !== undefined && value !== false)
}

/** A regular expression of the request; `name` says which (a rule's name, or a CLEANUP_SETTINGS phrase). */
export function regexOption(value: string | undefined, name: string): RegExp | undefined {
  if (value === undefined) return undefined
  try {
    return new RegExp(value)
  } catch (error) {
    throw new UsageError(`${name}: invalid regular expression: ${(error as Error).message}`)
  }
}

/** The rules of the command line, validated before any request (in-use lists are read later). */
export function rulesFromOptions(options: RuleOptions): CleanupRules {
  const match = regexOption(options.match, requestRuleName('match'))
  const keep = regexOption(options.keep, requestRuleName('keep'))
  const rules: CleanupRules = {
    ...(match ? {match} : {}),
    ...(keep ? {keep} : {}),
    ...(options.keepLast === undefined ? {} : {keepLast: options.keepLast}),
    ...(options.keepLastTags === undefined ? {} : {keepLastTags: options.keepLastTags}),
    ...(options.keepSemverLatest === undefined ? {} : {keepSemverLatest: options.keepSemverLatest}),
    ...(options.olderThan === undefined ? {} : {olderThanMs: parseDuration(options.olderThan, requestRuleName('olderThanMs'))}),
    ...(options.deleteUndated ? {deleteUndated: true} : {}),
    ...(options.orphans ? {orphans: true} : {}),
  }
  refuseZeroKeep(rules)
  return rules
}
