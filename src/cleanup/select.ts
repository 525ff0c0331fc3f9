import type {RepositoryFacts} from './facts.js'
import {CLEANUP_HINTS, CLEANUP_SETTINGS} from './hints.js'
import {type PlanItem, resolveActions} from './plan.js'
import {indexClosure} from '../image/graph.js'
import type {Digest} from '../registry/digest.js'
import {ReglensError} from '../errors.js'

/** What `image delete REF...` asked for in one repository. */
export interface Selection {
  /** Tags to remove (only the tag, unless wholeImage). */
  tags: string[]
  /** Manifests to delete by digest (with every tag on them). */
  digests: Digest[]
  /** A selected tag deletes its whole image (by digest) instead of only the tag. */
  wholeImage?: boolean
  /** Delete a digest even though other, unselected tags point at it. */
  force?: boolean
}

/** A guard refused the deletion: nothing was sent. */
export class DeletionRefused extends ReglensError {
  constructor(message: string) {
    super(message, 'usage')
    this.name = 'DeletionRefused'
  }
}

const list = (values: string[]) =>
  [...values]
    .sort()
    .map((value) => `"${value}"`)
    .join(', ')

/**
 * Plans an explicit deletion with its guards: a digest still carrying unselected tags is refused
 * unless forced, and a manifest an index of the repository still lists is refused unless the index
 * goes too. Tags not found are the caller's concern (they are resolved before this).
 */
export function planSelection(facts: RepositoryFacts, selection: Selection): PlanItem[] {
  const digestOfTag = new Map(facts.tags.map((fact) => [fact.tag, fact.digest]))
  const tagsOf = (digest: Digest) => facts.tags.filter((fact) => fact.digest === digest).map((fact) => fact.tag)
  const where = facts.repository
  const wholeDigests = new Set<Digest>(selection.digests)
  if (selection.wholeImage) for (const tag of selection.tags) wholeDigests.add(digestOfTag.get(tag)!)
  const selectedTags = new Set(selection.tags)
  const doomed = new Map<string, string>()
  for (const digest of wholeDigests) {
    const tags = tagsOf(digest)
    const others = tags.filter((tag) => !selectedTags.has(tag))
    if (others.length > 0 && !selection.force) {
      throw new DeletionRefused(
        `refusing to delete ${where}@${digest}: it is also tagged ${list(others)}, which would go too; ${CLEANUP_HINTS.forceOrNarrow}`,
      )
    }
    for (const tag of tags) doomed.set(tag, selectedTags.has(tag) ? 'selected' : `also on ${digest} (${CLEANUP_SETTINGS.force})`)
  }
  for (const tag of selection.tags) if (!doomed.has(tag)) doomed.set(tag, 'selected')
  const remainingIndexes = facts.tags.filter(
    (fact) => !wholeDigests.has(fact.digest) && (facts.manifests.get(fact.digest)?.children.length ?? 0) > 0,
  )
  for (const digest of wholeDigests) {
    const holders = remainingIndexes.filter((fact) => indexClosure([fact.digest], facts.manifests).has(digest))
    if (holders.length > 0) {
      throw new DeletionRefused(
        `refusing to delete ${where}@${digest}: the index tagged ${list(holders.map((fact) => fact.tag))} still lists it; deleting it alone would break that multi-platform image (delete the index too)`,
      )
    }
  }
  // A selected tag whose digest was not asked for is only untagged, even when no other tag keeps it.
  const untagOnly = new Set(selection.tags.filter((tag) => !wholeDigests.has(digestOfTag.get(tag)!)))
  const untagged = [...wholeDigests].filter((digest) => tagsOf(digest).length === 0)
  return resolveActions(facts, doomed, new Map(), {untagOnly, untaggedDeletes: untagged}).filter((entry) => entry.action !== 'keep')
}
