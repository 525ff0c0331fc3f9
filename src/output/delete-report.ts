import type {AppliedItem} from '../cleanup/apply.js'
import type {DeletionOutcome} from '../cleanup/delete-images.js'
import {summarizePlan} from '../cleanup/plan.js'
import {ExitCode} from '../errors.js'
import {planSummaryLine, renderPlanTable} from './plan-report.js'

/** What `image delete` prints: data for stdout, notices for stderr, and the exit code (docs/json/delete.md). */
export interface DeletionReport {
  stdout?: string
  stderr: string[]
  exitCode: number
}

/** Items a run acts on (or, dry, would): not the ones a re-checked plan skipped, that failed, or that an interruption left. */
const acted = (entry: AppliedItem) => !['skipped', 'failed', 'interrupted'].includes(entry.outcome.status)

const countOf = (items: AppliedItem[], status: string) => items.filter((entry) => entry.outcome.status === status).length

/** The plan's counts over the items acted on, then what was skipped, failed or not started. */
function summaryLine(items: AppliedItem[]): string {
  const skipped = countOf(items, 'skipped')
  const failed = countOf(items, 'failed')
  const interrupted = countOf(items, 'interrupted')
  return [
    planSummaryLine(items.filter(acted)),
    ...(skipped > 0 ? [`skipped ${skipped} (changed since the plan)`] : []),
    ...(failed > 0 ? [`failed ${failed}`] : []),
    ...(interrupted > 0 ? [`not started ${interrupted} (interrupted)`] : []),
  ].join('; ')
}

function exitCodeOf(outcome: DeletionOutcome): number {
  if (outcome.interrupted) return ExitCode.interrupted
  return outcome.failures > 0 ? ExitCode.partial : ExitCode.ok
}

export function renderDeletion(
  outcome: DeletionOutcome,
  options: {json: boolean; quiet: boolean; head: (text: string) => string},
): DeletionReport {
  const {plan, items, dryRun} = outcome
  const report: DeletionReport = {stderr: [], exitCode: exitCodeOf(outcome)}
  if (options.json)
    report.stdout = JSON.stringify({...plan, dryRun, items, missing: outcome.missing, summary: summarizePlan(items.filter(acted))}, null, 2)
  else if (items.length > 0) report.stdout = renderPlanTable(items, {head: options.head, executed: !dryRun})
  if (options.quiet) return report
  if (!options.json) {
    report.stderr.push(`${dryRun ? 'dry run, would' : 'done:'} ${summaryLine(items)}`)
    if (items.some((entry) => entry.action === 'delete'))
      report.stderr.push(
        `disk space is freed by the registry's garbage collection: ${dryRun ? 'reglens gc-hint --plan FILE (with --save-plan FILE) shows how much' : 'reglens gc-hint shows how to run it'}`,
      )
  }
  if (outcome.interrupted)
    report.stderr.push(
      `${countOf(items, 'interrupted')} items not started; ${outcome.fromSavedPlan ? 'apply the plan again' : 'run the same command again (or apply a plan saved with --save-plan)'} to finish`,
    )
  else if (outcome.failures > 0) report.stderr.push(`${outcome.failures} of ${items.length} items failed (see the RESULT column)`)
  return report
}
