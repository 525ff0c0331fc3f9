import {Flags} from '@oclif/core'

import {deleteImages} from '../../cleanup/delete-images.js'
import type {DeleteRequest} from '../../cleanup/delete-request.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'
import {untilInterrupted} from '../../cli/interrupt.js'
import {renderDeletion} from '../../output/delete-report.js'
import {planSummaryLine} from '../../output/plan-report.js'
import {startProgress} from '../../output/progress.js'

const RULE_FLAGS = [
  'keep-last',
  'keep-last-tags',
  'older-than',
  'match',
  'keep',
  'keep-semver-latest',
  'delete-undated',
  'keep-digests-from',
  'orphans',
] as const

export default class ImageDelete extends BaseCommand<typeof ImageDelete> {
  static override description = `Delete tags or images, or clean up repositories by retention rules (docs/cleanup.md).

With REF:TAG only that tag is removed (the image and its other tags stay). With REF@DIGEST (or --whole-image) the manifest is deleted with every tag on it, which reglens refuses while unselected tags point at it (unless --force) or an index still lists it. Referrers (cosign signatures and attestations, SBOMs and other OCI 1.1 artifacts) follow the image they refer to: kept with a kept image whatever rule matches their tags, deleted with a deleted one; those whose image is already gone are listed, and deleted with --orphans. With a REPO and rules (--keep-last, --keep-last-tags, --older-than, --match, --keep, --keep-semver-latest, --keep-digests-from, or --policy FILE) it plans a cleanup. Always preview with --dry-run; without a terminal a real run needs --yes.`

  static override examples = [
    {
      description: 'Remove one tag, keep the image and its other tags',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:pr-42 --yes',
    },
    {
      description: 'Delete an image by digest (refused while other tags point at it)',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app@sha256:4f1c… --yes',
    },
    {
      description: 'CI cleanup: keep the 10 newest images (with all their tags) and every v* image, delete the rest',
      command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 10 --keep '^v' --yes",
    },
    {
      description: 'Keep only the 5 newest pr-* tags (other tags are not touched)',
      command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --match '^pr-' --keep-last-tags 5 --yes",
    },
    {
      description: 'Never delete what the cluster runs: keep every image a pod uses (kubectl imageIDs on stdin)',
      command:
        "kubectl get pods -A -o jsonpath='{..imageID}' | tr ' ' '\\n' | <%= config.bin %> <%= command.id %> localhost:5000/team/app --keep-last 5 --keep-digests-from - --yes",
    },
    {
      description: 'Preview a registry-wide cleanup as JSON and save the plan for later',
      command:
        '<%= config.bin %> <%= command.id %> --all-repos -r prod --older-than 30d --keep-last 5 --dry-run --json --save-plan plan.json',
    },
    {
      description: 'Apply a saved plan (re-checked against the registry first)',
      command: '<%= config.bin %> <%= command.id %> --plan plan.json --yes',
    },
  ]

  static override strict = false

  static override args = {}

  static override usage = [
    'image delete REF... [--whole-image] [--force]',
    'image delete REPO... | --all-repos [--repos REGEX] (--keep-last N | --keep-last-tags N | --older-than 30d | --match REGEX | --policy FILE) [--keep REGEX] [--keep-semver-latest N] [--keep-digests-from FILE]',
    'image delete --plan FILE',
  ]

  static override flags = {
    'dry-run': Flags.boolean({description: 'Print the plan (what would be deleted, and why) and delete nothing.'}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation (required without a terminal).'}),
    'whole-image': Flags.boolean({description: 'A tag deletes its whole image (the manifest, by digest) instead of only the tag.'}),
    force: Flags.boolean({description: 'Delete a digest even though other, unselected tags point at it (they go too).'}),
    'ignore-missing': Flags.boolean({description: 'A reference or manifest that is already gone is reported, not an error.'}),
    'keep-last': Flags.integer({
      min: 0,
      description:
        "Keep the N newest images (distinct manifests by the image config's created date; an index counts once), each with all of its tags.",
    }),
    'keep-last-tags': Flags.integer({min: 0, description: "Keep the N newest tags (by their image's created date)."}),
    'older-than': Flags.string({description: 'Only delete images created longer ago than this (e.g. 30d, 12h, 2w).'}),
    match: Flags.string({description: 'Only tags matching this regular expression are candidates; others are kept.'}),
    keep: Flags.string({description: 'Keep the image of every tag matching this regular expression, with all of its tags.'}),
    'keep-semver-latest': Flags.integer({min: 0, description: 'Keep the N highest semantic-version tags.'}),
    'keep-digests-from': Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description:
        'Keep the images whose digests this file lists (one sha256:… or host/repo@sha256:… per line, as kubectl prints imageIDs; - reads stdin), every index listing them, and all their tags. Repeatable.',
    }),
    'delete-undated': Flags.boolean({
      description: 'Allow deleting images without a created date (they rank as the oldest); kept otherwise.',
    }),
    orphans: Flags.boolean({
      description: 'Also delete referrers (signatures, attestations, SBOMs) whose subject image is gone; listed and kept otherwise.',
    }),
    policy: Flags.string({
      description: 'YAML file of retention rules per repository pattern (docs/cleanup.md).',
      exclusive: [...RULE_FLAGS],
    }),
    'all-repos': Flags.boolean({description: 'Clean up every repository of the registry (walks the catalog).'}),
    repos: Flags.string({description: 'With --all-repos or --policy: only repositories matching this regular expression.'}),
    'save-plan': Flags.string({description: 'Write the plan to this file (implies --dry-run); apply it later with --plan.'}),
    plan: Flags.string({
      description: 'Apply a plan saved with --save-plan, re-checked against the registry first.',
      exclusive: ['policy', 'all-repos', 'save-plan', ...RULE_FLAGS],
    }),
  }

  async run(): Promise<void> {
    const flags = this.flags
    const quiet = flags.quiet
    const outcome = await deleteImages(this.request(), {
      targetOptions: this.targetOptions(),
      clientFor: (endpoint) => this.clientFor(endpoint),
      warn: (line) => {
        if (!quiet) this.warnLine(line)
      },
      progress: (text) => startProgress(text, {quiet: quiet || flags.json}),
      confirm: (host, plan) => confirm(`${host}: ${planSummaryLine(plan.items)}. Proceed?`),
      interruptible: (work) => untilInterrupted(work, quiet ? undefined : 'interrupted: finishing what is in flight, starting nothing new'),
    })
    const report = renderDeletion(outcome, {json: flags.json, quiet, head: this.stdoutChalk.bold})
    if (report.stdout !== undefined) this.out(report.stdout)
    for (const line of report.stderr) process.stderr.write(`${line}\n`)
    process.exitCode = report.exitCode
  }

  private request(): DeleteRequest {
    const flags = this.flags
    return {
      targets: this.positionals,
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
}
