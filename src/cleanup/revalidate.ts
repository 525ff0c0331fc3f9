import type {AppliedItem} from './apply.js'
import type {RepositoryFacts} from './facts.js'
import {indexClosure} from '../image/graph.js'
import {LEFTOVER_PLACEHOLDER, type PlanItem} from './plan.js'

/**
 * Checks a saved plan against the registry as it is now. Anything that changed since the plan was
 * made is skipped and reported, never acted on: a tag that now points elsewhere (or is gone), a
 * manifest that gained a tag the plan does not remove, or one that a remaining index now lists; and
 * the platform manifests of a skipped index and the referrers of a skipped subject.
 */
export function revalidate(items: PlanItem[], current: ReadonlyMap<string, RepositoryFacts>): {valid: PlanItem[]; skipped: AppliedItem[]} {
  const valid: PlanItem[] = []
  const skipped: AppliedItem[] = []
  const removedTags = new Set(
    items.filter((entry) => entry.action !== 'keep' && entry.tag !== null).map((entry) => `${entry.repository}:${entry.tag}`),
  )
  const deletedDigests = new Set(items.filter((entry) => entry.action === 'delete').map((entry) => `${entry.repository}@${entry.digest}`))
  const skippedIndexes = new Set<string>()
  for (const original of items) {
    const facts = current.get(original.repository)
    const entry = facts ? finishInterruptedUntag(original, facts) : original
    const reason = entry.action === 'keep' || !facts ? undefined : staleness(entry, facts, removedTags, deletedDigests)
    if (reason && entry.action === 'delete') skippedIndexes.add(`${entry.repository}@${entry.digest}`)
    if (reason) skipped.push({...entry, outcome: {status: 'skipped', message: reason}})
    else valid.push(entry)
  }
  // Platform manifests go only with their index (one left in place still lists them), and referrers
  // only with their subject (a kept image keeps its signatures): followed to any depth.
  let remaining = valid
  for (;;) {
    const held = remaining.filter((entry) =>
      [entry.parent, entry.subject].some((digest) => digest !== undefined && skippedIndexes.has(`${entry.repository}@${digest}`)),
    )
    if (held.length === 0) break
    for (const entry of held) {
      const subjectSkipped = entry.subject !== undefined && skippedIndexes.has(`${entry.repository}@${entry.subject}`)
      skipped.push({
        ...entry,
        outcome: {
          status: 'skipped',
          message: subjectSkipped ? `its subject ${entry.subject} is skipped` : `index ${entry.parent} is skipped`,
        },
      })
      if (entry.action === 'delete') skippedIndexes.add(`${entry.repository}@${entry.digest}`)
    }
    remaining = remaining.filter((entry) => !held.includes(entry))
  }
  return {valid: remaining, skipped}
}

/**
 * An untag killed between its two steps left the tag on reglens's placeholder: the item becomes the
 * delete of that placeholder (by digest), which removes the tag and so finishes the untag.
 */
function finishInterruptedUntag(entry: PlanItem, facts: RepositoryFacts): PlanItem {
  if (entry.action !== 'untag' || entry.tag === null) return entry
  const now = facts.tags.find((fact) => fact.tag === entry.tag)
  const placeholder = now && now.digest !== entry.digest ? facts.manifests.get(now.digest) : undefined
  if (!placeholder?.placeholder) return entry
  return {
    ...entry,
    digest: placeholder.digest,
    mediaType: placeholder.mediaType,
    created: null,
    size: placeholder.size,
    action: 'delete',
    reason: `${entry.reason}; ${LEFTOVER_PLACEHOLDER}`,
  }
}

function staleness(entry: PlanItem, facts: RepositoryFacts, removedTags: Set<string>, deletedDigests: Set<string>): string | undefined {
  if (entry.tag !== null) {
    const now = facts.tags.find((fact) => fact.tag === entry.tag)
    if (!now) return 'tag no longer exists'
    if (now.digest !== entry.digest) return `tag now points at ${now.digest}`
  }
  if (entry.action !== 'delete') return undefined
  const newTags = facts.tags.filter((fact) => fact.digest === entry.digest && !removedTags.has(`${entry.repository}:${fact.tag}`))
  if (newTags.length > 0) return `manifest now also tagged ${newTags.map((fact) => fact.tag).join(', ')}`
  const remaining = facts.tags.filter((fact) => !deletedDigests.has(`${entry.repository}@${fact.digest}`)).map((fact) => fact.digest)
  const holders = facts.tags.filter(
    (fact) =>
      remaining.includes(fact.digest) && fact.digest !== entry.digest && indexClosure([fact.digest], facts.manifests).has(entry.digest),
  )
  if (holders.length > 0) return `manifest now listed by the index tagged ${holders.map((fact) => fact.tag).join(', ')}`
  return undefined
}
