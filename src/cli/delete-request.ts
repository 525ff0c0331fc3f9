import type {DeleteRequest} from '../cleanup/delete-request.js'

/** The flags of `image delete` that shape its request, as oclif parses them. */
export interface DeleteFlags {
  registry?: string | undefined
  'keep-last'?: number | undefined
  'keep-last-tags'?: number | undefined
  'older-than'?: string | undefined
  match?: string | undefined
  keep?: string | undefined
  'keep-semver-latest'?: number | undefined
  'delete-undated': boolean
  'keep-digests-from'?: string[] | undefined
  orphans: boolean
  policy?: string | undefined
  repos?: string | undefined
  plan?: string | undefined
  'save-plan'?: string | undefined
  'all-repos': boolean
  'dry-run': boolean
  yes: boolean
  'whole-image': boolean
  force: boolean
  'ignore-missing': boolean
  concurrency: number
  quiet: boolean
  'password-stdin': boolean
}

/** `image delete`'s flags and positional arguments as the plain request the cleanup library plans from. */
export function deleteRequest(flags: DeleteFlags, targets: string[]): DeleteRequest {
  return {
    targets,
    ...(flags.registry === undefined ? {} : {registry: flags.registry}),
    rules: {
      keepLast: flags['keep-last'],
      keepLastTags: flags['keep-last-tags'],
      olderThan: flags['older-than'],
      match: flags.match,
      keep: flags.keep,
      keepSemverLatest: flags['keep-semver-latest'],
      deleteUndated: flags['delete-undated'],
      keepDigestsFrom: flags['keep-digests-from'],
      orphans: flags.orphans,
    },
    ...(flags.policy === undefined ? {} : {policy: flags.policy}),
    ...(flags.repos === undefined ? {} : {repos: flags.repos}),
    ...(flags.plan === undefined ? {} : {plan: flags.plan}),
    ...(flags['save-plan'] === undefined ? {} : {savePlan: flags['save-plan']}),
    allRepos: flags['all-repos'],
    dryRun: flags['dry-run'] || flags['save-plan'] !== undefined,
    yes: flags.yes,
    wholeImage: flags['whole-image'],
    force: flags.force,
    ignoreMissing: flags['ignore-missing'],
    concurrency: flags.concurrency,
    quiet: flags.quiet,
    passwordOnStdin: flags['password-stdin'],
  }
}
