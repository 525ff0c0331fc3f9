import type {CleanupReport} from './model.js'
import type {ManifestFacts, ManifestFactsSource, RepositoryFacts, TagFact} from '../cleanup/facts.js'
import {planCleanup, summarizePlan} from '../cleanup/plan.js'
import type {PolicyRule} from '../cleanup/policy-file.js'
import {rulesFor} from '../cleanup/policy-file.js'
import {type GraphNode, reclaimable} from '../image/graph.js'
import type {Digest} from '../registry/digest.js'

export interface CleanupEstimate {
  summary: Omit<CleanupReport, 'policy'>
  /** Bytes per repository a policy rule matches; repositories without a rule are absent. */
  perRepository: Map<string, number>
}

/** Facts of every tagged manifest and its children (the source answers from the cache the pass filled). */
async function repositoryFacts(source: ManifestFactsSource, repository: string, tags: TagFact[]): Promise<RepositoryFacts> {
  const manifests = new Map<Digest, ManifestFacts>()
  const visit = async (digest: Digest): Promise<void> => {
    if (manifests.has(digest)) return
    const facts = await source.describe(repository, digest)
    manifests.set(digest, facts)
    await Promise.all(facts.children.map(visit))
  }
  await Promise.all([...new Set(tags.map((tag) => tag.digest))].map(visit))
  return {repository, tags, manifests}
}

/**
 * What a cleanup policy would free, planned exactly as `image delete --policy` plans it, over the tags
 * the report's pass found. A repository's figure counts the blobs its deletions free while every other
 * repository's cleanup has run too (a blob two cleaned repositories share counts in neither, but in the total).
 */
export async function estimateCleanup(
  host: string,
  tags: ReadonlyMap<string, TagFact[]>,
  policy: PolicyRule[],
  source: ManifestFactsSource,
  now: Date,
): Promise<CleanupEstimate> {
  const facts = new Map<string, RepositoryFacts>()
  for (const [repository, repositoryTags] of tags) facts.set(repository, await repositoryFacts(source, repository, repositoryTags))
  const nodes = new Map<Digest, GraphNode>()
  for (const repository of facts.values()) for (const manifest of repository.manifests.values()) nodes.set(manifest.digest, manifest)

  const inputs = [...facts.values()].flatMap((repositoryFacts) => {
    const rules = rulesFor(policy, repositoryFacts.repository)
    return rules ? [{facts: repositoryFacts, rules}] : []
  })
  const plan = planCleanup(host, inputs, now)
  const removedTags = new Set(
    plan.items.filter((item) => item.action !== 'keep' && item.tag !== null).map((item) => `${item.repository}:${item.tag}`),
  )
  const remaining = new Set<Digest>()
  for (const [repository, repositoryTags] of tags)
    for (const tag of repositoryTags) if (!removedTags.has(`${repository}:${tag.tag}`)) remaining.add(tag.digest)
  // An untagged image stays as a manifest revision, and garbage-collect keeps what it references.
  for (const item of plan.items) if (item.action === 'untag') remaining.add(item.digest)

  const deletedBy = new Map<string, Set<Digest>>(inputs.map((input) => [input.facts.repository, new Set<Digest>()]))
  for (const item of plan.items) if (item.action === 'delete') deletedBy.get(item.repository)?.add(item.digest)
  const perRepository = new Map([...deletedBy].map(([repository, deleted]) => [repository, reclaimable(deleted, remaining, nodes).bytes]))
  const allDeleted = [...deletedBy.values()].flatMap((deleted) => [...deleted])
  const counts = summarizePlan(plan.items)
  return {
    summary: {
      reclaimable: reclaimable(allDeleted, remaining, nodes).bytes,
      deletedTags: counts.deletedTags,
      deletedManifests: counts.deletedManifests,
      untaggedTags: counts.untagged,
    },
    perRepository,
  }
}
