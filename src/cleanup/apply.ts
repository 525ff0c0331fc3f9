import pLimit from 'p-limit'

import type {PlanItem} from './plan.js'
import {danglingTags, removeTag, type UntagMethod} from './untag.js'
import type {RegistryClient} from '../registry/client.js'
import {deleteManifest, deletionDisabled, deletionEnabled} from '../registry/delete.js'
import {repositoryIn} from '../registry/reference.js'
import {errorMessage, RegistryError} from '../errors.js'

export type OutcomeStatus = 'kept' | 'planned' | 'deleted' | 'untagged' | 'missing' | 'skipped' | 'failed' | 'interrupted'

export interface ItemOutcome {
  status: OutcomeStatus
  /** How a tag or manifest was removed: tag DELETE, placeholder re-point (registry 2.8), or manifest DELETE by digest. */
  method?: UntagMethod | 'digest-delete'
  message?: string
}

export interface AppliedItem extends PlanItem {
  outcome: ItemOutcome
}

export interface ApplyOptions {
  concurrency: number
  /** A 404 (already gone) is reported but not a failure. */
  ignoreMissing?: boolean
  /** Called as each item finishes (progress). */
  onItem?: (item: AppliedItem) => void
  /**
   * Once aborted, nothing new starts: operations in flight finish (an untag is never left half-way,
   * with the tag on a placeholder) and every item not started is `interrupted`.
   */
  signal?: AbortSignal
}

export interface ApplyResult {
  items: AppliedItem[]
  failed: number
}

/** Whether an outcome counts against the run's exit code. */
export function isFailure(outcome: ItemOutcome, ignoreMissing = false): boolean {
  return outcome.status === 'failed' || (outcome.status === 'missing' && !ignoreMissing)
}

/** The plan's items as a dry run reports them: nothing sent. */
export function plannedOutcomes(items: PlanItem[]): AppliedItem[] {
  return items.map((entry) => ({...entry, outcome: {status: entry.action === 'keep' ? 'kept' : 'planned'}}))
}

/**
 * Executes exactly the plan: untags and deletes concurrently (p-limit), indexes before the platform
 * manifests they list (which are skipped if their index could not be deleted), one DELETE per
 * digest. Each item gets its outcome; failures do not stop the others. Deletion being disabled stops
 * the run before anything is sent, with the one-line explanation (exit 9).
 */
export async function applyPlan(client: RegistryClient, items: PlanItem[], options: ApplyOptions): Promise<ApplyResult> {
  const outcomes = new Map<PlanItem, ItemOutcome>()
  const finish = (entry: PlanItem, outcome: ItemOutcome) => {
    outcomes.set(entry, outcome)
    options.onItem?.({...entry, outcome})
  }
  const changing = items.filter((entry) => entry.action !== 'keep')
  if (changing.length > 0 && !(await deletionEnabled(client, repositoryOf(client, changing[0].repository))))
    throw deletionDisabled(client.endpoint.host)
  for (const entry of items) if (entry.action === 'keep') finish(entry, {status: 'kept'})

  const limit = pLimit(options.concurrency)
  const stopped = () => options.signal?.aborted === true
  const notStarted: ItemOutcome = {status: 'interrupted', message: 'not started: the run was interrupted'}
  // Untags first, one at a time per repository: registry 2.8's placeholder fallback rewrites tag links,
  // and a manifest delete reading them at that moment fails half-way (manifest gone, tags left).
  const untagsByRepository = new Map<string, PlanItem[]>()
  for (const entry of items.filter((item) => item.action === 'untag'))
    untagsByRepository.set(entry.repository, [...(untagsByRepository.get(entry.repository) ?? []), entry])
  await Promise.all(
    [...untagsByRepository.values()].map((entries) =>
      limit(async () => {
        for (const entry of entries) {
          if (stopped()) {
            finish(entry, notStarted)
            continue
          }
          const outcome = await settle(async () => {
            const result = await removeTag(client, repositoryOf(client, entry.repository), entry.tag!)
            return {status: result.status, ...(result.method ? {method: result.method} : {})} as ItemOutcome
          })
          finish(entry, outcome)
        }
      }),
    ),
  )

  const failedDigests = new Set<string>()
  const runGroup = async (group: PlanItem[]) => {
    const {repository, digest} = group[0]
    if (stopped()) {
      failedDigests.add(`${repository}@${digest}`)
      for (const entry of group) finish(entry, notStarted)
      return
    }
    const outcome = await settle(() => deleteGroup(client, group))
    if (outcome.status === 'failed') failedDigests.add(`${repository}@${digest}`)
    for (const entry of group) finish(entry, outcome)
  }
  const groups = deleteGroups(items)
  await Promise.all(groups.parents.map((group) => limit(() => runGroup(group))))
  await Promise.all(
    groups.children.map((group) =>
      limit(async () => {
        const parent = group[0].parent
        if (parent && failedDigests.has(`${group[0].repository}@${parent}`) && !stopped()) {
          for (const entry of group) finish(entry, {status: 'skipped', message: `index ${parent} was not deleted`})
          return
        }
        await runGroup(group)
      }),
    ),
  )
  const applied = items.map((entry) => ({...entry, outcome: outcomes.get(entry)!}))
  return {items: applied, failed: applied.filter((entry) => isFailure(entry.outcome, options.ignoreMissing)).length}
}

/**
 * Deletes one manifest. When the registry errs although the manifest is gone, its tags are checked:
 * any it left dangling is cleared (placeholder re-point and delete), so no tag outlives its image.
 */
async function deleteGroup(client: RegistryClient, group: PlanItem[]): Promise<ItemOutcome> {
  const repository = repositoryOf(client, group[0].repository)
  const deleted = await deleteManifest(client, repository, group[0].digest)
  if (!deleted.error) return {status: deleted.result, method: 'digest-delete'}
  const tags = group.map((entry) => entry.tag).filter((tag): tag is string => tag !== null)
  const dangling = await danglingTags(client, repository, tags)
  for (const tag of dangling) await removeTag(client, repository, tag, {dangling: true})
  const repaired = dangling.length > 0 ? `; cleared tag ${dangling.join(', ')} it left behind` : ''
  return {
    status: 'deleted',
    method: 'digest-delete',
    message: `registry answered an error (${deleted.error}) but the manifest is gone${repaired}`,
  }
}

function repositoryOf(client: RegistryClient, repository: string) {
  return repositoryIn(client.endpoint.host, repository)
}

/** Delete items grouped by manifest; groups with a tag (indexes and images) run before untagged platform manifests. */
function deleteGroups(items: PlanItem[]): {parents: PlanItem[][]; children: PlanItem[][]} {
  const groups = new Map<string, PlanItem[]>()
  for (const entry of items) {
    if (entry.action !== 'delete') continue
    const key = `${entry.repository}@${entry.digest}`
    groups.set(key, [...(groups.get(key) ?? []), entry])
  }
  const all = [...groups.values()]
  return {
    parents: all.filter((group) => group.some((entry) => entry.tag !== null)),
    children: all.filter((group) => group.every((entry) => entry.tag === null)),
  }
}

/** Runs one registry operation; an error becomes a failed outcome, except deletion being disabled, which stops everything. */
async function settle(operation: () => Promise<ItemOutcome>): Promise<ItemOutcome> {
  try {
    return await operation()
  } catch (error) {
    if (error instanceof RegistryError && error.kind === 'unsupported' && error.details.status === 405) throw error
    return {status: 'failed', message: errorMessage(error)}
  }
}
