import {readFileSync, writeFileSync} from 'node:fs'

import {CLEANUP_HINTS, CLEANUP_SETTINGS} from './hints.js'
import {PLAN_KIND, PLAN_VERSION, type Plan, type PlanItem} from './plan.js'
import {isDigest} from '../registry/digest.js'
import {UsageError} from '../errors.js'

const ACTIONS = new Set(['keep', 'untag', 'delete'])

function fail(path: string, reason: string): never {
  throw new UsageError(`plan ${path}: ${reason}`)
}

function parseItem(value: unknown, path: string, index: number): PlanItem {
  const at = `items[${index}]`
  if (typeof value !== 'object' || value === null) fail(path, `${at} is not an object`)
  const entry = value as Record<string, unknown>
  if (typeof entry.repository !== 'string' || entry.repository === '') fail(path, `${at}.repository must be a repository name`)
  if (entry.tag !== null && typeof entry.tag !== 'string') fail(path, `${at}.tag must be a string or null`)
  if (typeof entry.digest !== 'string' || !isDigest(entry.digest)) fail(path, `${at}.digest must be a digest`)
  if (typeof entry.action !== 'string' || !ACTIONS.has(entry.action)) fail(path, `${at}.action must be keep, untag or delete`)
  if (entry.action === 'untag' && entry.tag === null) fail(path, `${at}: untag needs a tag`)
  if (entry.parent !== undefined && (typeof entry.parent !== 'string' || !isDigest(entry.parent)))
    fail(path, `${at}.parent must be a digest`)
  return {
    repository: entry.repository,
    tag: entry.tag as string | null,
    digest: entry.digest as PlanItem['digest'],
    mediaType: typeof entry.mediaType === 'string' ? entry.mediaType : '',
    created: typeof entry.created === 'string' ? entry.created : null,
    size: typeof entry.size === 'number' && Number.isSafeInteger(entry.size) ? entry.size : 0,
    action: entry.action as PlanItem['action'],
    reason: typeof entry.reason === 'string' ? entry.reason : '',
    ...(entry.parent ? {parent: entry.parent as PlanItem['digest']} : {}),
  }
}

/** Reads a plan saved by --save-plan (or a --dry-run --json document); validates every field it acts on. */
export function readPlan(path: string): Plan {
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    fail(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not readable JSON (${(error as Error).message})`)
  }
  if (typeof doc !== 'object' || doc === null) fail(path, 'not a JSON object')
  const plan = doc as Record<string, unknown>
  if (plan.kind !== PLAN_KIND) fail(path, `kind must be "${PLAN_KIND}" (is this a reglens plan?)`)
  if (plan.version !== PLAN_VERSION) fail(path, `version ${String(plan.version)} is not supported (expected ${PLAN_VERSION})`)
  if (typeof plan.registry !== 'string' || plan.registry === '') fail(path, 'registry must be a host')
  if (!Array.isArray(plan.items)) fail(path, 'items must be a list')
  return {
    kind: PLAN_KIND,
    version: PLAN_VERSION,
    registry: plan.registry,
    createdAt: typeof plan.createdAt === 'string' ? plan.createdAt : '',
    items: plan.items.map((entry, index) => parseItem(entry, path, index)),
  }
}

/** A plan names one registry's tags and digests: applied to another (a mirror holding the same digests) it would delete there. */
export function checkPlanRegistry(plan: Plan, path: string, host: string): void {
  if (plan.registry !== host)
    fail(
      path,
      `made for ${plan.registry}, not ${host}; a plan only applies to the registry it was made on (${CLEANUP_HINTS.plansRegistry})`,
    )
}

/** Writes a plan for --plan to apply later; an unwritable path is a usage error. */
export function savePlan(path: string, plan: Plan): void {
  try {
    writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`)
  } catch (error) {
    throw new UsageError(
      `${CLEANUP_SETTINGS.savePlan} ${path}: cannot write the plan (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    )
  }
}
