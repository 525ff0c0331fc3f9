import pLimit from 'p-limit'

import type {AppliedItem} from './apply.js'
import {collectCleanup, collectSelection, currentFacts, notFound} from './collect.js'
import {type DeleteRequest, hasRuleOptions, regexOption, rulesFromOptions} from './delete-request.js'
import {readDigestLists} from './in-use.js'
import {PLAN_KIND, PLAN_VERSION, type Plan} from './plan.js'
import {checkPlanRegistry, readPlan} from './plan-file.js'
import {CLEANUP_HINTS, CLEANUP_SETTINGS} from './hints.js'
import {hasDeletionRule, type RuleKey, requestRuleName} from './policy.js'
import {loadInUseLists, readPolicy, rulesFor} from './policy-file.js'
import {RegistryFactsSource} from './registry-facts.js'
import {revalidate} from './revalidate.js'
import {resolveReference, resolveRegistry, resolveRepository, type TargetOptions} from '../config/resolve.js'
import {ContentCache} from '../image/content-cache.js'
import {listRepositories} from '../registry/catalog.js'
import type {RegistryClient} from '../registry/client.js'
import {deletionDisabled, deletionEnabled} from '../registry/delete.js'
import type {RegistryEndpoint} from '../registry/endpoint.js'
import {parseRepository} from '../registry/reference.js'
import {UsageError} from '../errors.js'

/** What planning needs from the caller (the CLI): where the registry is, clients, and where notices go. */
export interface PlanningEnvironment {
  targetOptions: TargetOptions
  clientFor(endpoint: RegistryEndpoint): Promise<RegistryClient>
  /** A notice for stderr (the caller drops it under --quiet). */
  warn(line: string): void
  /** Progress on stderr (a no-op off a terminal, with --json or --quiet). */
  progress(text: string): {update(text: string): void; stop(): void}
}

export interface PlannedDeletion {
  plan: Plan
  endpoint: RegistryEndpoint
  client: RegistryClient
  /** References that did not exist (with --ignore-missing). */
  missing: string[]
  /** Items of a saved plan that no longer match the registry. */
  skipped: AppliedItem[]
}

/**
 * The one planner behind `image delete`: a saved plan re-checked against the registry, a cleanup by
 * rules or policy, or explicit references with their guards. Sends nothing but reads.
 */
export async function planDeletion(request: DeleteRequest, env: PlanningEnvironment): Promise<PlannedDeletion> {
  if (request.plan) return replan(request, request.plan, env)
  if (request.policy !== undefined || request.allRepos || hasRuleOptions(request.rules)) return planCleanup(request, env)
  return planReferences(request, env)
}

/** A dry run says at once when the registry could not carry the plan out (the probe deletes nothing). */
async function noticeDeletionDisabled(
  request: DeleteRequest,
  env: PlanningEnvironment,
  client: RegistryClient,
  repository: string | undefined,
): Promise<void> {
  if (!request.dryRun || repository === undefined || request.quiet) return
  if (!(await deletionEnabled(client, parseRepository(`${client.endpoint.host}/${repository}`))))
    env.warn(`${deletionDisabled(client.endpoint.host).message}; this dry run goes on, but a real run would stop before deleting anything`)
}

const ruleList = (keys: RuleKey[]) => keys.map(requestRuleName).join(', ')

const sourceFor = (client: RegistryClient, request: DeleteRequest) =>
  new RegistryFactsSource(new ContentCache(client, {concurrency: request.concurrency}))

async function replan(request: DeleteRequest, path: string, env: PlanningEnvironment): Promise<PlannedDeletion> {
  const saved = readPlan(path)
  if (request.targets.length > 0) throw new UsageError(`${CLEANUP_SETTINGS.plan} takes no references: the plan names them`)
  const endpoint = resolveRegistry({...env.targetOptions, registry: request.registry ?? saved.registry})
  checkPlanRegistry(saved, path, endpoint.host)
  const client = await env.clientFor(endpoint)
  await noticeDeletionDisabled(request, env, client, saved.items[0]?.repository)
  const current = await currentFacts(client, saved.items, {limit: pLimit(request.concurrency), source: sourceFor(client, request)})
  const {valid, skipped} = revalidate(saved.items, current)
  for (const entry of skipped) env.warn(`skipping ${entry.repository}:${entry.tag ?? entry.digest}: ${entry.outcome.message}`)
  return {plan: {...saved, items: valid}, endpoint, client, missing: [], skipped}
}

async function planCleanup(request: DeleteRequest, env: PlanningEnvironment): Promise<PlannedDeletion> {
  const rules = rulesFromOptions(request.rules)
  const policy = request.policy ? readPolicy(request.policy) : undefined
  if (!policy && !hasDeletionRule(rules))
    throw new UsageError(
      `no deletion rule: give ${ruleList(['keepLast', 'keepLastTags', 'olderThanMs'])} or ${requestRuleName('match')} (or ${CLEANUP_SETTINGS.policy}); without one every tag would be deleted`,
    )
  const repoFilter = regexOption(request.repos, CLEANUP_SETTINGS.repos)
  const walkCatalog = request.allRepos || (policy !== undefined && request.targets.length === 0)
  if (walkCatalog && request.targets.length > 0) throw new UsageError(CLEANUP_HINTS.repositoriesOrCatalog)
  if (!walkCatalog && request.targets.length === 0) throw new UsageError(CLEANUP_HINTS.nameRepository)
  const lists = [...(request.rules.keepDigestsFrom ?? []), ...(policy ?? []).flatMap((rule) => rule.keepDigestsFrom ?? [])]
  if (lists.includes('-') && request.passwordOnStdin) throw new UsageError(`${CLEANUP_HINTS.stdinTwice}; give the list as a file`)
  const rulesOf = policy ? await loadInUseLists(policy) : undefined
  if (request.rules.keepDigestsFrom) {
    const read = await readDigestLists(request.rules.keepDigestsFrom, () => requestRuleName('inUse'))
    rules.inUse = new Set([...read.values()].flatMap((list) => [...list]))
  }
  const targets = request.targets.map((input) => resolveRepository(input, env.targetOptions))
  const endpoint = targets[0]?.endpoint ?? resolveRegistry(env.targetOptions)
  if (targets.some((target) => target.endpoint.host !== endpoint.host)) throw new UsageError('all repositories must be on one registry')
  const client = await env.clientFor(endpoint)
  let names = targets.map((target) => target.target.repository)
  if (walkCatalog) {
    names = []
    for await (const name of listRepositories(client)) names.push(name)
  }
  names = names.filter((name) => !repoFilter || repoFilter.test(name))
  await noticeDeletionDisabled(request, env, client, names[0])
  const progress = env.progress(`Reading ${names.length} ${names.length === 1 ? 'repository' : 'repositories'} on ${endpoint.host}`)
  const plan = await collectCleanup(client, names, (name) => (rulesOf ? rulesFor(rulesOf, name) : rules), {
    limit: pLimit(request.concurrency),
    source: sourceFor(client, request),
    now: new Date(),
    concurrency: request.concurrency,
    mustExist: !walkCatalog,
  }).finally(() => progress.stop())
  return {plan, endpoint, client, missing: [], skipped: []}
}

async function planReferences(request: DeleteRequest, env: PlanningEnvironment): Promise<PlannedDeletion> {
  if (request.targets.length === 0)
    throw new UsageError(`name what to delete: REF:TAG, REF@DIGEST, or a repository with cleanup rules (${CLEANUP_HINTS.usage})`)
  const refs = request.targets.map((input) => resolveReference(input, env.targetOptions))
  const endpoint = refs[0].endpoint
  if (refs.some((ref) => ref.endpoint.host !== endpoint.host)) throw new UsageError('all references must be on one registry')
  for (const {target} of refs) {
    if (target.tag === undefined && target.digest === undefined)
      throw new UsageError(
        `${target.registry}/${target.repository} names no tag or digest; to clean up a repository give a rule (${ruleList(['keepLast', 'olderThanMs', 'match'])})`,
      )
  }
  const client = await env.clientFor(endpoint)
  await noticeDeletionDisabled(request, env, client, refs[0].target.repository)
  const {items, missing} = await collectSelection(
    client,
    refs.map((ref) => ref.target),
    {limit: pLimit(request.concurrency), source: sourceFor(client, request), wholeImage: request.wholeImage, force: request.force},
  )
  if (missing.length > 0 && !request.ignoreMissing) throw notFound(endpoint.host, missing)
  for (const ref of missing) env.warn(`already gone: ${ref}`)
  const plan: Plan = {kind: PLAN_KIND, version: PLAN_VERSION, registry: endpoint.host, createdAt: new Date().toISOString(), items}
  return {plan, endpoint, client, missing, skipped: []}
}
