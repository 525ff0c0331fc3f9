import pLimit, {type LimitFunction} from 'p-limit'

import type {ManifestFactsSource, RepositoryFacts, TagFact} from './facts.js'
import {CLEANUP_HINTS} from './hints.js'
import {planCleanup, type Plan, type PlanItem, type RepositoryPlanInput} from './plan.js'
import type {CleanupRules} from './policy.js'
import {gatherRepository} from './registry-facts.js'
import {planSelection, type Selection} from './select.js'
import type {RegistryClient} from '../registry/client.js'
import type {Digest} from '../registry/digest.js'
import {headManifest} from '../registry/manifests.js'
import {formatReference, type ImageReference, repositoryIn, type Repository} from '../registry/reference.js'
import {INDEX_MEDIA_TYPES} from '../registry/types/media-types.js'
import {RegistryError} from '../errors.js'

/** Fetches what planning needs from the registry, then hands it to the pure planners. */

export interface CollectOptions {
  limit: LimitFunction
  source: ManifestFactsSource
}

/** Only indexes need describing to check the index-child guard (HEAD gives the media type). */
const indexesOnly = (tag: {mediaType?: string}) => tag.mediaType === undefined || INDEX_MEDIA_TYPES.has(tag.mediaType)

/**
 * Facts of each repository a saved plan names, describing only indexes (enough to re-check the plan)
 * and tags that moved since the plan (one may now be on a placeholder an interrupted untag left).
 */
export async function currentFacts(
  client: RegistryClient,
  items: PlanItem[],
  options: CollectOptions,
): Promise<Map<string, RepositoryFacts>> {
  const planned = new Map(items.filter((entry) => entry.tag !== null).map((entry) => [`${entry.repository}:${entry.tag}`, entry.digest]))
  const repositories = [...new Set(items.map((entry) => entry.repository))]
  const entries = await Promise.all(
    repositories.map(async (name) => {
      const moved = (tag: TagFact) => planned.has(`${name}:${tag.tag}`) && planned.get(`${name}:${tag.tag}`) !== tag.digest
      return [
        name,
        await gatherRepository(client, repositoryIn(client.endpoint.host, name), {
          ...options,
          describe: (tag) => indexesOnly(tag) || moved(tag),
        }),
      ] as const
    }),
  )
  return new Map(entries)
}

export interface SelectionResult {
  items: PlanItem[]
  /** References that did not exist. */
  missing: string[]
}

/**
 * Plans `image delete REF...`: resolves every reference (HEAD with the full Accept list), groups them
 * per repository and applies the guards of planSelection.
 */
export async function collectSelection(
  client: RegistryClient,
  refs: ImageReference[],
  options: CollectOptions & {wholeImage?: boolean; force?: boolean},
): Promise<SelectionResult> {
  const byRepository = new Map<string, ImageReference[]>()
  for (const ref of refs) byRepository.set(ref.repository, [...(byRepository.get(ref.repository) ?? []), ref])
  const missing: string[] = []
  const items: PlanItem[] = []
  for (const [name, group] of byRepository) {
    const repository: Repository = repositoryIn(client.endpoint.host, name)
    const selection: Selection = {
      tags: [],
      digests: [],
      ...(options.wholeImage ? {wholeImage: true} : {}),
      ...(options.force ? {force: true} : {}),
    }
    const heads = await Promise.all(
      group.map((ref) => options.limit(async () => ({ref, head: await headManifest(client, repository, ref.digest ?? ref.tag!)}))),
    )
    for (const {ref, head} of heads) {
      if (!head) missing.push(formatReference(ref))
      else if (ref.digest) selection.digests.push(head.digest)
      else selection.tags.push(ref.tag!)
    }
    if (selection.tags.length === 0 && selection.digests.length === 0) continue
    const facts = await gatherRepository(client, repository, {
      ...options,
      describe: indexesOnly,
      extra: [
        ...selection.digests,
        ...heads.filter((entry) => entry.head && !entry.ref.digest).map((entry) => entry.head!.digest as Digest),
      ],
    })
    // A tag the listing has not caught up with yet is still resolved by its HEAD.
    for (const {ref, head} of heads) {
      if (head && ref.tag && !ref.digest && !facts.tags.some((fact) => fact.tag === ref.tag))
        facts.tags.push({tag: ref.tag, digest: head.digest})
    }
    items.push(...planSelection(facts, selection))
  }
  return {items, missing}
}

/**
 * Plans retention for each repository under its rules (repositories without rules are left out);
 * `mustExist` for repositories the user named. Fetching is here; planning is planCleanup's, pure.
 */
export async function collectCleanup(
  client: RegistryClient,
  repositories: string[],
  rulesOf: (repository: string) => CleanupRules | undefined,
  options: CollectOptions & {now: Date; concurrency: number; mustExist?: boolean},
): Promise<Plan> {
  // Repositories get their own limit: their requests go through options.limit, which they must not hold.
  const perRepository = pLimit(options.concurrency)
  const inputs = await Promise.all(
    repositories.map((name) =>
      perRepository(async (): Promise<RepositoryPlanInput | undefined> => {
        const rules = rulesOf(name)
        if (!rules) return undefined
        return {facts: await gatherRepository(client, repositoryIn(client.endpoint.host, name), options), rules}
      }),
    ),
  )
  return planCleanup(
    client.endpoint.host,
    inputs.filter((input): input is RepositoryPlanInput => input !== undefined),
    options.now,
  )
}

export function notFound(host: string, refs: string[]): RegistryError {
  return new RegistryError(`${refs.join(', ')} not found on ${host} (${CLEANUP_HINTS.ignoreMissing})`, 'notFound', {hint: 'ignoreMissing'})
}
