import {writeFileSync} from 'node:fs'

import {Flags} from '@oclif/core'
import pLimit from 'p-limit'

import {type AppliedItem, applyPlan, isFailure, plannedOutcomes} from '../../cleanup/apply.js'
import {collectCleanup, collectSelection, currentFacts, notFound} from '../../cleanup/collect.js'
import {PLAN_KIND, PLAN_VERSION, type Plan, type PlanItem, summarizePlan} from '../../cleanup/plan.js'
import {checkPlanRegistry, readPlan} from '../../cleanup/plan-file.js'
import {type CleanupRules, hasDeletionRule, parseDuration, refuseZeroKeep} from '../../cleanup/policy.js'
import {loadInUseLists, readPolicy, rulesFor} from '../../cleanup/policy-file.js'
import {readDigestLists} from '../../cleanup/in-use.js'
import {RegistryFactsSource} from '../../cleanup/registry-facts.js'
import {revalidate} from '../../cleanup/revalidate.js'
import {ContentCache} from '../../image/content-cache.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'
import {untilInterrupted} from '../../cli/interrupt.js'
import {resolveReference, resolveRegistry, resolveRepository} from '../../config/resolve.js'
import {ExitCode, UsageError} from '../../errors.js'
import {planSummaryLine, renderPlanTable} from '../../output/plan-report.js'
import {startProgress} from '../../output/progress.js'
import {listRepositories} from '../../registry/catalog.js'
import type {RegistryClient} from '../../registry/client.js'
import {deletionDisabled, deletionEnabled} from '../../registry/delete.js'
import type {RegistryEndpoint} from '../../registry/endpoint.js'
import {parseRepository} from '../../registry/reference.js'

const RULE_FLAGS = ['keep-last', 'keep-last-tags', 'older-than', 'match', 'keep', 'keep-semver-latest', 'delete-undated', 'keep-digests-from'] as const

export default class ImageDelete extends BaseCommand<typeof ImageDelete> {
  static override description = `Delete tags or images, or clean up repositories by retention rules (docs/cleanup.md).

With REF:TAG only that tag is removed (the image and its other tags stay). With REF@DIGEST (or --whole-image) the manifest is deleted with every tag on it, which reglens refuses while unselected tags point at it (unless --force) or an index still lists it. With a REPO and rules (--keep-last, --keep-last-tags, --older-than, --match, --keep, --keep-semver-latest, --keep-digests-from, or --policy FILE) it plans a cleanup. Always preview with --dry-run; without a terminal a real run needs --yes.`

  static override examples = [
    {description: 'Remove one tag, keep the image and its other tags', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:pr-42 --yes'},
    {description: 'Delete an image by digest (refused while other tags point at it)', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app@sha256:4f1c… --yes'},
    {description: 'CI cleanup: keep the 10 newest images (with all their tags) and every v* image, delete the rest', command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 10 --keep '^v' --yes"},
    {description: 'Keep only the 5 newest pr-* tags (other tags are not touched)', command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --match '^pr-' --keep-last-tags 5 --yes"},
    {description: 'Never delete what the cluster runs: keep every image a pod uses (kubectl imageIDs on stdin)', command: "kubectl get pods -A -o jsonpath='{..imageID}' | tr ' ' '\\n' | <%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 5 --keep-digests-from - --yes"},
    {description: 'Preview a registry-wide cleanup as JSON and save the plan for later', command: '<%= config.bin %> <%= command.id %> --all-repos -r prod --older-than 30d --keep-last 5 --dry-run --json --save-plan plan.json'},
    {description: 'Apply a saved plan (re-checked against the registry first)', command: '<%= config.bin %> <%= command.id %> --plan plan.json --yes'},
  ]

  static override strict = false

  static override args = {}

  static override usage = ['image delete REF... [--whole-image] [--force]', 'image delete REPO... | --all-repos [--repos REGEX] (--keep-last N | --keep-last-tags N | --older-than 30d | --match REGEX | --policy FILE) [--keep REGEX] [--keep-semver-latest N] [--keep-digests-from FILE]', 'image delete --plan FILE']

  static override flags = {
    'dry-run': Flags.boolean({description: 'Print the plan (what would be deleted, and why) and delete nothing.'}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation (required without a terminal).'}),
    'whole-image': Flags.boolean({description: 'A tag deletes its whole image (the manifest, by digest) instead of only the tag.'}),
    force: Flags.boolean({description: 'Delete a digest even though other, unselected tags point at it (they go too).'}),
    'ignore-missing': Flags.boolean({description: 'A reference or manifest that is already gone is reported, not an error.'}),
    'keep-last': Flags.integer({min: 0, description: 'Keep the N newest images (distinct manifests by the image config\'s created date; an index counts once), each with all of its tags.'}),
    'keep-last-tags': Flags.integer({min: 0, description: 'Keep the N newest tags (by their image\'s created date).'}),
    'older-than': Flags.string({description: 'Only delete images created longer ago than this (e.g. 30d, 12h, 2w).'}),
    match: Flags.string({description: 'Only tags matching this regular expression are candidates; others are kept.'}),
    keep: Flags.string({description: 'Keep the image of every tag matching this regular expression, with all of its tags.'}),
    'keep-semver-latest': Flags.integer({min: 0, description: 'Keep the N highest semantic-version tags.'}),
    'keep-digests-from': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Keep the images whose digests this file lists (one sha256:… or host/repo@sha256:… per line, as kubectl prints imageIDs; - reads stdin), every index listing them, and all their tags. Repeatable.'}),
    'delete-undated': Flags.boolean({description: 'Allow deleting images without a created date (they rank as the oldest); kept otherwise.'}),
    policy: Flags.string({description: 'YAML file of retention rules per repository pattern (docs/cleanup.md).', exclusive: [...RULE_FLAGS]}),
    'all-repos': Flags.boolean({description: 'Clean up every repository of the registry (walks the catalog).'}),
    repos: Flags.string({description: 'With --all-repos or --policy: only repositories matching this regular expression.'}),
    'save-plan': Flags.string({description: 'Write the plan to this file (implies --dry-run); apply it later with --plan.'}),
    plan: Flags.string({description: 'Apply a plan saved with --save-plan, re-checked against the registry first.', exclusive: ['policy', 'all-repos', 'save-plan', ...RULE_FLAGS]}),
  }

  async run(): Promise<void> {
    const flags = this.flags
    const dryRun = flags['dry-run'] || flags['save-plan'] !== undefined
    const {plan, endpoint, missing, skipped, client} = await this.buildPlan()
    if (flags['save-plan']) savePlan(flags['save-plan'], plan)
    const changes = plan.items.filter((entry) => entry.action !== 'keep')
    if (dryRun || changes.length === 0) {
      this.report(plan, [...skipped, ...plannedOutcomes(plan.items)], {dryRun, missing})
      return
    }
    // Asking is pointless when the registry cannot delete: probe first (applyPlan reuses the answer).
    if (!(await deletionEnabled(client, parseRepository(`${endpoint.host}/${changes[0].repository}`)))) throw deletionDisabled(endpoint.host)
    if (!flags.yes) await confirm(`${endpoint.host}: ${planSummaryLine(plan.items)}. Proceed?`)
    const progress = flags.json ? undefined : startProgress(`Deleting on ${endpoint.host}`, {quiet: flags.quiet})
    let done = 0
    const {result, interrupted} = await untilInterrupted(
      (signal) =>
        applyPlan(client, plan.items, {
          concurrency: flags.concurrency,
          signal,
          ...(flags['ignore-missing'] ? {ignoreMissing: true} : {}),
          onItem: () => progress?.update(`Deleting on ${endpoint.host} (${++done}/${plan.items.length})`),
        }).finally(() => progress?.stop()),
      flags.quiet ? undefined : 'interrupted: finishing what is in flight, starting nothing new',
    )
    const items = [...skipped, ...result.items]
    this.report(plan, items, {dryRun: false, missing})
    if (interrupted) {
      if (!flags.quiet) process.stderr.write(`${items.filter((entry) => entry.outcome.status === 'interrupted').length} items not started; ${flags.plan ? 'apply the plan again' : 'run the same command again (or apply a plan saved with --save-plan)'} to finish\n`)
      process.exitCode = ExitCode.interrupted
      return
    }
    const failures = items.filter((entry) => isFailure(entry.outcome, flags['ignore-missing']))
    if (failures.length > 0) {
      if (!flags.quiet) process.stderr.write(`${failures.length} of ${items.length} items failed (see the RESULT column)\n`)
      process.exitCode = ExitCode.partial
    }
  }

  private async buildPlan(): Promise<{plan: Plan; endpoint: RegistryEndpoint; client: RegistryClient; missing: string[]; skipped: AppliedItem[]}> {
    const flags = this.flags
    const limit = pLimit(flags.concurrency)
    const now = new Date()
    const planOf = (registry: string, items: PlanItem[]): Plan => ({kind: PLAN_KIND, version: PLAN_VERSION, registry, createdAt: now.toISOString(), items})
    if (flags.plan) {
      const saved = readPlan(flags.plan)
      if (this.positionals.length > 0) throw new UsageError('--plan takes no references: the plan names them')
      const endpoint = resolveRegistry({...this.targetOptions(), registry: flags.registry ?? saved.registry})
      checkPlanRegistry(saved, flags.plan, endpoint.host)
      const client = this.clientFor(endpoint)
      await this.noticeDeletionDisabled(client, saved.items[0]?.repository)
      const source = new RegistryFactsSource(new ContentCache(client, {concurrency: flags.concurrency}))
      const current = await currentFacts(client, saved.items, {limit, source})
      const {valid, skipped} = revalidate(saved.items, current)
      for (const entry of skipped) if (!flags.quiet) this.warnLine(`skipping ${entry.repository}:${entry.tag ?? entry.digest}: ${entry.outcome.message}`)
      return {plan: {...saved, items: valid}, endpoint, client, missing: [], skipped}
    }
    const bulk = flags.policy !== undefined || flags['all-repos'] || RULE_FLAGS.some((flag) => flags[flag] !== undefined && flags[flag] !== false)
    if (bulk) {
      const rules = this.rulesFromFlags()
      const policy = flags.policy ? await loadInUseLists(readPolicy(flags.policy)) : undefined
      if ([...(flags['keep-digests-from'] ?? []), ...(policy ?? []).flatMap((rule) => rule.keepDigestsFrom ?? [])].includes('-') && flags['password-stdin']) throw new UsageError('stdin cannot carry both the password (--password-stdin) and a digest list (-); give the list as a file')
      if (flags['keep-digests-from']) {
        const lists = await readDigestLists(flags['keep-digests-from'], () => '--keep-digests-from')
        rules.inUse = new Set([...lists.values()].flatMap((list) => [...list]))
      }
      if (!policy && !hasDeletionRule(rules)) throw new UsageError('no deletion rule: give --keep-last, --keep-last-tags, --older-than or --match (or --policy FILE); without one every tag would be deleted')
      const repoFilter = this.parseRegex(flags.repos, 'repos')
      const walkCatalog = flags['all-repos'] || (policy !== undefined && this.positionals.length === 0)
      if (walkCatalog && this.positionals.length > 0) throw new UsageError('give repositories or --all-repos, not both')
      if (!walkCatalog && this.positionals.length === 0) throw new UsageError('name a repository to clean up, or pass --all-repos')
      const targets = this.positionals.map((input) => resolveRepository(input, this.targetOptions()))
      const endpoint = targets[0]?.endpoint ?? resolveRegistry(this.targetOptions())
      if (targets.some((target) => target.endpoint.host !== endpoint.host)) throw new UsageError('all repositories must be on one registry')
      const client = this.clientFor(endpoint)
      let names = targets.map((target) => target.target.repository)
      if (walkCatalog) {
        names = []
        for await (const name of listRepositories(client)) names.push(name)
      }
      names = names.filter((name) => !repoFilter || repoFilter.test(name))
      await this.noticeDeletionDisabled(client, names[0])
      const progress = flags.json ? undefined : startProgress(`Reading ${names.length} ${names.length === 1 ? 'repository' : 'repositories'} on ${endpoint.host}`, {quiet: flags.quiet})
      const plan = await collectCleanup(client, names, (name) => (policy ? rulesFor(policy, name) : rules), {limit, source: new RegistryFactsSource(new ContentCache(client, {concurrency: flags.concurrency})), now, concurrency: flags.concurrency, mustExist: !walkCatalog}).finally(() => progress?.stop())
      return {plan, endpoint, client, missing: [], skipped: []}
    }
    if (this.positionals.length === 0) throw new UsageError('name what to delete: REF:TAG, REF@DIGEST, or a repository with cleanup rules (see --help)')
    const refs = this.positionals.map((input) => resolveReference(input, this.targetOptions()))
    const endpoint = refs[0].endpoint
    if (refs.some((ref) => ref.endpoint.host !== endpoint.host)) throw new UsageError('all references must be on one registry')
    for (const {target} of refs) {
      if (target.tag === undefined && target.digest === undefined) throw new UsageError(`${target.registry}/${target.repository} names no tag or digest; to clean up a repository give a rule (--keep-last, --older-than, --match)`)
    }
    const client = this.clientFor(endpoint)
    await this.noticeDeletionDisabled(client, refs[0].target.repository)
    const {items, missing} = await collectSelection(client, refs.map((ref) => ref.target), {limit, source: new RegistryFactsSource(new ContentCache(client, {concurrency: flags.concurrency})), wholeImage: flags['whole-image'], force: flags.force})
    if (missing.length > 0 && !flags['ignore-missing']) throw notFound(endpoint.host, missing)
    for (const ref of missing) if (!flags.quiet) this.warnLine(`already gone: ${ref}`)
    return {plan: planOf(endpoint.host, items), endpoint, client, missing, skipped: []}
  }

  /** A dry run says at once when the registry could not carry the plan out (the probe deletes nothing). */
  private async noticeDeletionDisabled(client: RegistryClient, repository: string | undefined): Promise<void> {
    const dryRun = this.flags['dry-run'] || this.flags['save-plan'] !== undefined
    if (!dryRun || repository === undefined || this.flags.quiet) return
    if (!(await deletionEnabled(client, parseRepository(`${client.endpoint.host}/${repository}`)))) this.warnLine(`${deletionDisabled(client.endpoint.host).message}; this dry run goes on, but a real run would stop before deleting anything`)
  }

  private rulesFromFlags(): CleanupRules {
    const flags = this.flags
    const match = this.parseRegex(flags.match, 'match')
    const keep = this.parseRegex(flags.keep, 'keep')
    const rules: CleanupRules = {
      ...(match ? {match} : {}),
      ...(keep ? {keep} : {}),
      ...(flags['keep-last'] === undefined ? {} : {keepLast: flags['keep-last']}),
      ...(flags['keep-last-tags'] === undefined ? {} : {keepLastTags: flags['keep-last-tags']}),
      ...(flags['keep-semver-latest'] === undefined ? {} : {keepSemverLatest: flags['keep-semver-latest']}),
      ...(flags['older-than'] === undefined ? {} : {olderThanMs: parseDuration(flags['older-than'], '--older-than')}),
      ...(flags['delete-undated'] ? {deleteUndated: true} : {}),
    }
    refuseZeroKeep(rules)
    return rules
  }

  private report(plan: Plan, items: AppliedItem[], options: {dryRun: boolean; missing: string[]}): void {
    if (this.flags.json) {
      this.out(JSON.stringify({...plan, dryRun: options.dryRun, items, missing: options.missing, summary: summarizePlan(items.filter(acted))}, null, 2))
      return
    }
    if (items.length > 0) this.out(renderPlanTable(items, {head: this.stdoutChalk.bold, executed: !options.dryRun}))
    if (this.flags.quiet) return
    process.stderr.write(`${options.dryRun ? 'dry run, would' : 'done:'} ${summaryLine(items)}\n`)
    if (items.some((entry) => entry.action === 'delete')) process.stderr.write(`disk space is freed by the registry's garbage collection: ${options.dryRun ? 'reglens gc-hint --plan FILE (with --save-plan FILE) shows how much' : 'reglens gc-hint shows how to run it'}\n`)
  }
}

function savePlan(path: string, plan: Plan): void {
  try {
    writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`)
  } catch (error) {
    throw new UsageError(`--save-plan ${path}: cannot write the plan (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/** Items a run acts on (or, dry, would): not the ones a re-checked plan skipped, that failed, or that an interruption left. */
const acted = (entry: AppliedItem) => !['skipped', 'failed', 'interrupted'].includes(entry.outcome.status)

/** The plan's counts over the items acted on, then what was skipped or failed. */
function summaryLine(items: AppliedItem[]): string {
  const skipped = items.filter((entry) => entry.outcome.status === 'skipped').length
  const failed = items.filter((entry) => entry.outcome.status === 'failed').length
  const interrupted = items.filter((entry) => entry.outcome.status === 'interrupted').length
  return [planSummaryLine(items.filter(acted)), ...(skipped > 0 ? [`skipped ${skipped} (changed since the plan)`] : []), ...(failed > 0 ? [`failed ${failed}`] : []), ...(interrupted > 0 ? [`not started ${interrupted} (interrupted)`] : [])].join('; ')
}
