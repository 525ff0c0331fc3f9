import type {RepositoryFacts, TagFact} from './facts.js'
import {planItem} from './plan-item.js'
import type {PlanItem} from './plan.js'
import {type CleanupRules, ruleName} from './policy.js'
import {type GraphNode, withReferrers} from '../image/graph.js'
import type {Digest} from '../registry/digest.js'
import {subjectOfTag} from '../registry/referrers.js'

/**
 * A referrer (signature, attestation, SBOM) follows its subject: it stays while its subject stays,
 * whatever rule would match its tags, and goes when its subject goes. Referrers whose subject is
 * already gone (orphans) stay unless the user asks for them to go.
 */

/** The repository's image tags apart from its referrer tags (cosign `.sig`/`.att`/`.sbom`, fallback index `sha256-<hex>`). */
export function splitReferrerFacts(facts: RepositoryFacts): {images: RepositoryFacts; referrerTags: TagFact[]} {
  const referrerTags = facts.tags.filter((fact) => subjectOfTag(fact.tag) !== undefined)
  return {images: {...facts, tags: facts.tags.filter((fact) => subjectOfTag(fact.tag) === undefined)}, referrerTags}
}

/** The facts' graph with each referrer tag's subject set on the manifest it points at (cosign manifests name none). */
export function referrerGraph(facts: RepositoryFacts): Map<Digest, GraphNode> {
  const graph = new Map<Digest, GraphNode>(facts.manifests)
  for (const fact of facts.tags) {
    const named = subjectOfTag(fact.tag)
    const node = graph.get(fact.digest)
    if (named && node && !node.subject) graph.set(fact.digest, {...node, subject: named.subject})
  }
  return graph
}

const short = (digest: Digest) => digest.slice(0, 19)

/** The orphans rule as written: `--orphans` on the command line, `orphans: true` in a policy file. */
const orphansRule = (options: ReferrerOptions) => `${ruleName(options, 'orphans')}${options.source === 'policy' ? ': true' : ''}`

export interface ReferrerOptions {
  /** Delete referrers whose subject is gone. */
  orphans?: boolean
  /** Where the rules were written: a kept orphan's reason names the rule that would delete it accordingly. */
  source?: CleanupRules['source']
}

/**
 * Plan items for every referrer manifest, given the image items already planned: a tag item per
 * referrer tag (keep, or delete with its manifest) and an untagged delete item for each referrer
 * without a tag that goes (with `parent` when a deleted fallback index lists it, so it runs after).
 */
export function referrerItems(facts: RepositoryFacts, imageItems: PlanItem[], options: ReferrerOptions = {}): PlanItem[] {
  const graph = referrerGraph(facts)
  const staying = imageItems.filter((entry) => entry.action !== 'delete').map((entry) => entry.digest)
  const deletedImages = new Set(imageItems.filter((entry) => entry.action === 'delete').map((entry) => entry.digest))
  const kept = withReferrers(staying, graph)
  const doomed = new Set([...withReferrers(deletedImages, graph)].filter((digest) => !kept.has(digest) && !deletedImages.has(digest)))
  const gone = new Set(facts.goneSubjects ?? [])
  const orphans = new Set(
    [
      ...withReferrers(
        [...graph.values()].filter((node) => node.subject !== undefined && gone.has(node.subject)).map((node) => node.digest),
        graph,
      ),
    ].filter((digest) => !kept.has(digest) && !doomed.has(digest)),
  )

  const items: PlanItem[] = []
  const itemFor = (
    tag: string | null,
    digest: Digest,
    action: PlanItem['action'],
    reason: string,
    extra: Partial<PlanItem> = {},
  ): PlanItem => {
    const subject = graph.get(digest)?.subject
    return planItem(facts, tag, digest, action, reason, {...(subject ? {subject} : {}), ...extra})
  }

  const tagsOf = (digest: Digest) => facts.tags.filter((fact) => fact.digest === digest).map((fact) => fact.tag)
  const referrerTagged = new Set(splitReferrerFacts(facts).referrerTags.map((fact) => fact.digest))
  const deleting = new Set<Digest>()
  const emitDelete = (digest: Digest, reason: string) => {
    if (deleting.has(digest)) return
    deleting.add(digest)
    const tags = tagsOf(digest)
    if (tags.length > 0) for (const tag of tags) items.push(itemFor(tag, digest, 'delete', reason))
    else items.push(itemFor(null, digest, 'delete', reason, parentOf(digest)))
  }
  // An untagged referrer listed by a fallback index that goes too is deleted after that index.
  const parentOf = (digest: Digest): Partial<PlanItem> => {
    const holder = [...deleting].find((candidate) => candidate !== digest && (graph.get(candidate)?.children ?? []).includes(digest))
    return holder ? {parent: holder} : {}
  }
  const ordered = (set: Set<Digest>) =>
    [...set].sort((a, b) => Number(referrerTagged.has(b)) - Number(referrerTagged.has(a)) || (a < b ? -1 : 1))
  for (const digest of ordered(doomed))
    emitDelete(digest, `referrer of ${short(rootSubject(digest, graph, deletedImages) ?? graph.get(digest)?.subject ?? digest)}`)
  for (const digest of ordered(orphans)) {
    const subject = graph.get(digest)?.subject
    const reason = `orphan referrer: subject ${subject ? short(subject) : '?'} is gone`
    if (options.orphans) emitDelete(digest, reason)
    else for (const tag of tagsOf(digest)) items.push(itemFor(tag, digest, 'keep', `${reason} (${orphansRule(options)} deletes it)`))
  }
  // Kept referrer tags: listed as kept whatever rule their name would match.
  for (const fact of splitReferrerFacts(facts).referrerTags) {
    if (deleting.has(fact.digest) || orphans.has(fact.digest)) continue
    const subject = graph.get(fact.digest)?.subject ?? subjectOfTag(fact.tag)!.subject
    items.push(
      itemFor(
        fact.tag,
        fact.digest,
        'keep',
        kept.has(fact.digest) ? `referrer of kept ${short(subject)}` : `referrer of ${short(subject)}, which this plan does not touch`,
      ),
    )
  }
  return items
}

/** The image a referrer chain starts from, among `images` (a signature of an SBOM of an image → that image). */
function rootSubject(digest: Digest, graph: ReadonlyMap<Digest, GraphNode>, images: ReadonlySet<Digest>): Digest | undefined {
  let current = digest
  for (let step = 0; step < 16; step++) {
    const subject = graph.get(current)?.subject
    if (!subject) return undefined
    if (images.has(subject)) return subject
    current = subject
  }
  return undefined
}
