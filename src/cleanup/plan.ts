import type {RepositoryFacts} from './facts.js'
import {planItem} from './plan-item.js'
import {type CleanupRules, formatDuration, type RuleKey, ruleName} from './policy.js'
import {protectedImages, timeOf} from './protect.js'
import {referrerItems, splitReferrerFacts} from './referrers.js'
import {indexClosure} from '../image/graph.js'
import type {Digest} from '../registry/digest.js'
import {tagVersion} from '../registry/tag-order.js'

/**
 * Plans as data (like terraform's): what would happen to every tag, computed purely from fetched
 * facts. The dry run prints a plan; a real run executes exactly that plan (apply.ts).
 */

/** keep: untouched. untag: only this tag goes, the image stays. delete: the manifest is deleted by digest (with every tag on it). */
export type PlanAction = 'keep' | 'untag' | 'delete'

export interface PlanItem {
  repository: string
  /** null for an untagged manifest (a platform manifest of a deleted index). */
  tag: string | null
  digest: Digest
  mediaType: string
  created: string | null
  size: number
  action: PlanAction
  reason: string
  /** For a platform manifest deleted with its index: that index. */
  parent?: Digest
  /** For a referrer (signature, attestation, SBOM): the manifest it refers to. */
  subject?: Digest
}

export const PLAN_KIND = 'reglens/cleanup-plan'
export const PLAN_VERSION = 1

export interface Plan {
  kind: typeof PLAN_KIND
  version: typeof PLAN_VERSION
  registry: string
  createdAt: string
  items: PlanItem[]
}

export interface RepositoryPlanInput {
  facts: RepositoryFacts
  rules: CleanupRules
}

/** Whatever the rules, a tag on reglens's placeholder goes: deleting the placeholder finishes the untag. */
export const LEFTOVER_PLACEHOLDER = 'left by an interrupted untag (reglens placeholder): deleting it finishes the untag'

interface Verdict {
  keep: boolean
  reason: string
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Candidate tags newest first; ties by tag name. Undated ones rank last (only reachable with deleteUndated). */
function newestFirst(tags: string[], timeOfTag: (tag: string) => number | undefined): string[] {
  const rank = (tag: string) => timeOfTag(tag) ?? -Infinity
  return [...tags].sort((a, b) => rank(b) - rank(a) || byName(a, b))
}

function highestVersions(tags: string[], count: number): Set<string> {
  const versioned = tags.map((tag) => ({tag, version: tagVersion(tag)})).filter((entry) => entry.version !== null)
  versioned.sort((a, b) => b.version!.compare(a.version!) || byName(a.tag, b.tag))
  return new Set(versioned.slice(0, count).map((entry) => entry.tag))
}

/**
 * Applies the rules in the documented order (docs/cleanup.md); the first that decides wins. Whole-image
 * rules (in use, keep, keep-last: protect.ts) come before the tag-level ones.
 */
function judgeTags(facts: RepositoryFacts, rules: CleanupRules, now: number): Map<string, Verdict> {
  const name = (key: RuleKey) => ruleName(rules, key)
  const digestOf = new Map(facts.tags.map((fact) => [fact.tag, fact.digest]))
  const timeOfTag = (tag: string) => timeOf(facts.manifests.get(digestOf.get(tag)!))
  const candidates = facts.tags.map((fact) => fact.tag).filter((tag) => !rules.match || rules.match.test(tag))
  const shielded = protectedImages(facts, new Set(candidates), rules)
  const dated = candidates.filter((tag) => rules.deleteUndated || timeOfTag(tag) !== undefined)
  const newestTags = new Set(rules.keepLastTags === undefined ? [] : newestFirst(dated, timeOfTag).slice(0, rules.keepLastTags))
  const latestVersions = rules.keepSemverLatest === undefined ? new Set<string>() : highestVersions(candidates, rules.keepSemverLatest)
  const verdicts = new Map<string, Verdict>()
  for (const {tag, digest} of facts.tags) {
    const time = timeOfTag(tag)
    let verdict: Verdict
    if (facts.manifests.get(digest)?.placeholder) verdict = {keep: false, reason: LEFTOVER_PLACEHOLDER}
    else if (rules.match && !rules.match.test(tag))
      verdict = {keep: true, reason: `does not match ${name('match')} /${rules.match.source}/`}
    else if (shielded.has(digest)) verdict = {keep: true, reason: shielded.get(digest)!}
    else if (latestVersions.has(tag))
      verdict = {keep: true, reason: `one of the ${rules.keepSemverLatest} highest versions (${name('keepSemverLatest')})`}
    else if (time === undefined && !rules.deleteUndated)
      verdict = {keep: true, reason: `no created date (${name('deleteUndated')} allows deleting it)`}
    else if (newestTags.has(tag))
      verdict = {keep: true, reason: `one of the ${rules.keepLastTags} newest tags (${name('keepLastTags')} ${rules.keepLastTags})`}
    else if (rules.olderThanMs !== undefined && time !== undefined && now - time < rules.olderThanMs)
      verdict = {keep: true, reason: `created within ${formatDuration(rules.olderThanMs)} (${name('olderThanMs')})`}
    else verdict = {keep: false, reason: deletionReason(rules, time)}
    verdicts.set(tag, verdict)
  }
  return verdicts
}

function deletionReason(rules: CleanupRules, time: number | undefined): string {
  const parts: string[] = []
  if (rules.keepLast !== undefined) parts.push(`not among the ${rules.keepLast} newest images (${ruleName(rules, 'keepLast')})`)
  if (rules.keepLastTags !== undefined) parts.push(`not among the ${rules.keepLastTags} newest tags (${ruleName(rules, 'keepLastTags')})`)
  if (rules.olderThanMs !== undefined)
    parts.push(time === undefined ? 'undated' : `older than ${formatDuration(rules.olderThanMs)} (${ruleName(rules, 'olderThanMs')})`)
  if (parts.length === 0 && rules.match) parts.push(`matches ${ruleName(rules, 'match')} /${rules.match.source}/`)
  return parts.length > 0 ? parts.join(', ') : 'kept by no rule'
}

/** Tags newest image first, then by name: the order plans list them in (never the registry's order). */
function newestTagsFirst(facts: RepositoryFacts): RepositoryFacts['tags'] {
  const time = (digest: Digest) => timeOf(facts.manifests.get(digest)) ?? -Infinity
  return [...facts.tags].sort((a, b) => time(b.digest) - time(a.digest) || byName(a.tag, b.tag))
}

/**
 * Turns per-tag verdicts into actions. A doomed tag whose digest something kept still needs (another
 * kept tag, or a kept index listing it) is only untagged; a digest all of whose tags go is deleted,
 * and so are the platform manifests of a deleted index that nothing kept lists, so GC can free them.
 */
export interface ResolveOptions {
  /** Doomed tags that only lose the tag, even when nothing else keeps their image. */
  untagOnly?: ReadonlySet<string>
  /** Untagged manifests to delete by digest. */
  untaggedDeletes?: Digest[]
}

export function resolveActions(
  facts: RepositoryFacts,
  doomed: Map<string, string>,
  keptReasons: Map<string, string>,
  options: ResolveOptions = {},
): PlanItem[] {
  const untagOnly = options.untagOnly ?? new Set()
  const keptTags = facts.tags.filter((fact) => !doomed.has(fact.tag))
  const stayingImages = facts.tags.filter((fact) => !doomed.has(fact.tag) || untagOnly.has(fact.tag))
  const keptDigests = indexClosure(
    stayingImages.map((fact) => fact.digest),
    facts.manifests,
  )
  const keepersOf = (digest: Digest) => keptTags.filter((fact) => fact.digest === digest).map((fact) => fact.tag)
  const items: PlanItem[] = []
  const deleted = new Set<Digest>()
  for (const {tag, digest} of newestTagsFirst(facts)) {
    const doomedReason = doomed.get(tag)
    if (doomedReason === undefined) {
      items.push(planItem(facts, tag, digest, 'keep', keptReasons.get(tag) ?? 'not selected'))
    } else if (keptDigests.has(digest)) {
      const keepers = keepersOf(digest)
      const why =
        keepers.length > 0
          ? `image kept by tag ${keepers.join(', ')}`
          : untagOnly.has(tag)
            ? 'image stays, now untagged (delete it by digest so GC can free it)'
            : 'image is a platform of a kept index'
      items.push(planItem(facts, tag, digest, 'untag', `${doomedReason}; ${why}`))
    } else {
      items.push(planItem(facts, tag, digest, 'delete', doomedReason))
      deleted.add(digest)
    }
  }
  for (const digest of options.untaggedDeletes ?? []) {
    if (deleted.has(digest) || keptDigests.has(digest)) continue
    items.push(planItem(facts, null, digest, 'delete', 'selected'))
    deleted.add(digest)
  }
  const taggedDigests = new Set(facts.tags.map((fact) => fact.digest))
  for (const parent of deleted) {
    for (const child of indexClosure([parent], facts.manifests)) {
      if (child === parent || keptDigests.has(child) || taggedDigests.has(child) || deleted.has(child)) continue
      deleted.add(child)
      items.push({...planItem(facts, null, child, 'delete', `platform manifest of deleted index ${parent.slice(0, 19)}`), parent})
    }
  }
  return items
}

/** Plans one repository under its rules. Pure: same facts, rules and time give the same plan. */
export function planRepository(facts: RepositoryFacts, rules: CleanupRules, now: Date): PlanItem[] {
  // Rules judge images only: referrer tags follow their subject (referrers.ts).
  const {images} = splitReferrerFacts(facts)
  const verdicts = judgeTags(images, rules, now.getTime())
  const doomed = new Map<string, string>()
  const kept = new Map<string, string>()
  for (const [tag, verdict] of verdicts) (verdict.keep ? kept : doomed).set(tag, verdict.reason)
  const imageItems = resolveActions(images, doomed, kept)
  return [
    ...imageItems,
    ...referrerItems(facts, imageItems, {...(rules.orphans ? {orphans: true} : {}), ...(rules.source ? {source: rules.source} : {})}),
  ]
}

export function planCleanup(registry: string, inputs: RepositoryPlanInput[], now: Date): Plan {
  return {
    kind: PLAN_KIND,
    version: PLAN_VERSION,
    registry,
    createdAt: now.toISOString(),
    items: inputs.flatMap((input) => planRepository(input.facts, input.rules, now)),
  }
}

export interface PlanSummary {
  kept: number
  untagged: number
  deletedTags: number
  deletedManifests: number
}

export function summarizePlan(items: PlanItem[]): PlanSummary {
  const deletes = items.filter((entry) => entry.action === 'delete')
  return {
    kept: items.filter((entry) => entry.action === 'keep').length,
    untagged: items.filter((entry) => entry.action === 'untag').length,
    deletedTags: deletes.filter((entry) => entry.tag !== null).length,
    deletedManifests: new Set(deletes.map((entry) => `${entry.repository}@${entry.digest}`)).size,
  }
}
