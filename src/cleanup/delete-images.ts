import {type AppliedItem, applyPlan, isFailure, plannedOutcomes} from './apply.js'
import type {DeleteRequest} from './delete-request.js'
import type {Plan} from './plan.js'
import {savePlan} from './plan-file.js'
import {planDeletion, type PlanningEnvironment} from './plan-deletion.js'
import {deletionDisabled, deletionEnabled} from '../registry/delete.js'
import {parseRepository} from '../registry/reference.js'

export interface DeletionEnvironment extends PlanningEnvironment {
  /** Asks before a real run whether to apply `plan` on `host` (refuses without a terminal); skipped with `yes`. */
  confirm(host: string, plan: Plan): Promise<void>
  /**
   * Runs the deletions with SIGINT/SIGTERM turned into an abort of `signal` (src/cli/interrupt.ts), so
   * what is in flight finishes and the outcome can still be reported.
   */
  interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{result: T; interrupted: boolean}>
}

export interface DeletionOutcome {
  plan: Plan
  /** Every item with its outcome (skipped items of a re-checked plan first). */
  items: AppliedItem[]
  dryRun: boolean
  /** References given that did not exist (with --ignore-missing). */
  missing: string[]
  /** A signal stopped the run: items not started are `interrupted`. */
  interrupted: boolean
  /** Items that count against the exit code (failed; missing without --ignore-missing). */
  failures: number
  /** The plan was applied from a file (--plan), so applying it again finishes an interrupted run. */
  fromSavedPlan: boolean
}

/**
 * `image delete` as one call: plan (planDeletion), save the plan if asked, and unless it is a dry
 * run, check that the registry deletes at all, confirm, and apply exactly that plan.
 */
export async function deleteImages(request: DeleteRequest, env: DeletionEnvironment): Promise<DeletionOutcome> {
  const {plan, endpoint, client, missing, skipped} = await planDeletion(request, env)
  if (request.savePlan) savePlan(request.savePlan, plan)
  const base = {plan, missing, interrupted: false, failures: 0, fromSavedPlan: request.plan !== undefined}
  const changes = plan.items.filter((entry) => entry.action !== 'keep')
  if (request.dryRun || changes.length === 0) return {...base, items: [...skipped, ...plannedOutcomes(plan.items)], dryRun: request.dryRun}
  // Asking is pointless when the registry cannot delete: probe first (applyPlan reuses the answer).
  if (!(await deletionEnabled(client, parseRepository(`${endpoint.host}/${changes[0].repository}`)))) throw deletionDisabled(endpoint.host)
  if (!request.yes) await env.confirm(endpoint.host, plan)
  const progress = env.progress(`Deleting on ${endpoint.host}`)
  let done = 0
  const {result, interrupted} = await env.interruptible((signal) =>
    applyPlan(client, plan.items, {
      concurrency: request.concurrency,
      signal,
      ...(request.ignoreMissing ? {ignoreMissing: true} : {}),
      onItem: () => progress.update(`Deleting on ${endpoint.host} (${++done}/${plan.items.length})`),
    }).finally(() => progress.stop()),
  )
  const items = [...skipped, ...result.items]
  return {
    ...base,
    items,
    dryRun: false,
    interrupted,
    failures: items.filter((entry) => isFailure(entry.outcome, request.ignoreMissing)).length,
  }
}
