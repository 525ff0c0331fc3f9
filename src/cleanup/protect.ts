import type {ManifestFacts, RepositoryFacts} from './facts.js'
import {indexClosure} from '../image/graph.js'
import {type CleanupRules, ruleName} from './policy.js'
import type {Digest} from '../registry/digest.js'

/**
 * Image-level keep rules: in use, --keep and --keep-last protect whole images, so every tag of a
 * protected image (and of each manifest it lists) is kept. Tag-level rules are plan.ts's.
 */

export function timeOf(manifest: ManifestFacts | undefined): number | undefined {
  if (!manifest?.created) return undefined
  const time = Date.parse(manifest.created)
  return Number.isNaN(time) ? undefined : time
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The images --keep-last ranks: distinct manifests carrying a candidate tag, minus those listed by
 * another such manifest (an index counts once, not once per platform). Undated ones only with deleteUndated.
 */
export function rankedImages(facts: RepositoryFacts, candidates: ReadonlySet<string>, rules: CleanupRules): Digest[] {
  const tagged = [...new Set(facts.tags.filter((fact) => candidates.has(fact.tag)).map((fact) => fact.digest))]
  const listed = new Set(tagged.flatMap((digest) => [...indexClosure([digest], facts.manifests)].filter((child) => child !== digest)))
  const time = (digest: Digest) => timeOf(facts.manifests.get(digest))
  const firstTag = (digest: Digest) =>
    facts.tags
      .filter((fact) => fact.digest === digest)
      .map((fact) => fact.tag)
      .sort(byName)[0]
  const rank = (digest: Digest) => time(digest) ?? -Infinity
  return tagged
    .filter((digest) => !listed.has(digest) && (rules.deleteUndated || time(digest) !== undefined))
    .sort((a, b) => rank(b) - rank(a) || byName(firstTag(a), firstTag(b)))
}

/**
 * Every digest a rule protects as a whole image, with the reason its tags are kept (the first rule
 * that protects it wins: in use, then --keep, then --keep-last). A protected index protects what it lists.
 */
export function protectedImages(facts: RepositoryFacts, candidates: ReadonlySet<string>, rules: CleanupRules): Map<Digest, string> {
  const reasons = new Map<Digest, string>()
  const protect = (root: Digest, reason: string) => {
    for (const digest of indexClosure([root], facts.manifests)) if (!reasons.has(digest)) reasons.set(digest, reason)
  }
  if (rules.inUse && rules.inUse.size > 0) {
    const inUse = rules.inUse
    // An in-use digest protects itself and every tagged index that lists it.
    for (const {digest} of facts.tags)
      if ([...indexClosure([digest], facts.manifests)].some((listed) => inUse.has(listed)))
        protect(digest, `in use (${ruleName(rules, 'inUse')})`)
  }
  if (rules.keep) {
    const keep = rules.keep
    for (const {tag, digest} of facts.tags)
      if (candidates.has(tag) && keep.test(tag)) protect(digest, `image kept by ${ruleName(rules, 'keep')} /${keep.source}/ (tag ${tag})`)
  }
  if (rules.keepLast !== undefined) {
    for (const digest of rankedImages(facts, candidates, rules).slice(0, rules.keepLast))
      protect(digest, `one of the ${rules.keepLast} newest images (${ruleName(rules, 'keepLast')} ${rules.keepLast})`)
  }
  return reasons
}
