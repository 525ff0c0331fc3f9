import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {description, examples} from '../cli/help/gc-hint.js'
import {checkPlanRegistry, readPlan} from '../cleanup/plan-file.js'
import {resolveRegistry} from '../config/resolve.js'
import {apiHint} from '../gc/api-hint.js'
import {storageHint} from '../gc/storage-hint.js'
import {ContentCache} from '../image/content-cache.js'
import {type GcHintReport, renderApiHint, renderStorageHint} from '../output/gc-hint.js'
import {startProgress} from '../output/progress.js'

export default class GcHint extends BaseCommand<typeof GcHint> {
  static override description = description

  static override examples = examples

  static override flags = {
    plan: Flags.string({
      description: 'A plan saved by `image delete --save-plan`: report what GC frees once it has run (run this before applying it).',
      exclusive: ['storage'],
    }),
    storage: Flags.string({description: "Filesystem storage root of a registry on this host (the driver's rootdirectory); read only."}),
    'delete-untagged': Flags.boolean({
      description: 'With --storage: model `garbage-collect --delete-untagged` (untagged manifests go too).',
    }),
  }

  async run(): Promise<void> {
    const output = {json: this.flags.json, quiet: this.flags.quiet, head: this.stdoutChalk.bold}
    if (this.flags.storage) {
      const hint = await storageHint(this.flags.storage, {deleteUntagged: this.flags['delete-untagged']})
      return this.print(renderStorageHint(hint, output))
    }
    if (this.flags['delete-untagged']) this.warnLine('--delete-untagged only applies with --storage')
    const plan = this.flags.plan ? readPlan(this.flags.plan) : undefined
    const endpoint = resolveRegistry({...this.targetOptions(), ...(this.flags.registry || !plan ? {} : {registry: plan.registry})})
    if (plan && this.flags.plan) checkPlanRegistry(plan, this.flags.plan, endpoint.host)
    const client = await this.clientFor(endpoint)
    const progress = this.flags.json ? undefined : startProgress(`Walking ${endpoint.host}`, {quiet: this.flags.quiet})
    const hint = await apiHint(new ContentCache(client, {concurrency: this.flags.concurrency}), {
      concurrency: this.flags.concurrency,
      ...(plan ? {plan} : {}),
    }).finally(() => progress?.stop())
    this.print(renderApiHint(hint, this.flags.plan, output))
  }

  private print(report: GcHintReport): void {
    this.out(report.stdout)
    for (const warning of report.warnings) this.warnLine(warning)
  }
}
