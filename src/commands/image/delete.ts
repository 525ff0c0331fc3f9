import * as Flags from '@oclif/core/flags'

import {deleteImages} from '../../cleanup/delete-images.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'
import {deleteRequest} from '../../cli/delete-request.js'
import {description, examples, usage} from '../../cli/help/image-delete.js'
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
  static override description = description

  static override examples = examples

  static override strict = false

  static override args = {}

  static override usage = usage

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
    const outcome = await deleteImages(deleteRequest(flags, this.positionals), {
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
}
