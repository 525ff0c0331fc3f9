import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {checkPlanRegistry, readPlan} from '../cleanup/plan-file.js'
import {resolveRegistry} from '../config/resolve.js'
import {apiHint} from '../gc/api-hint.js'
import {CONFIG_PATH, DELETE_UNTAGGED_WARNING, gcRecipes} from '../gc/instructions.js'
import {simulateGc} from '../gc/mark-sweep.js'
import {readStorage} from '../gc/storage.js'
import {ContentCache} from '../image/content-cache.js'
import {humanBytes} from '../output/bytes.js'
import {startProgress} from '../output/progress.js'
import {renderTable} from '../output/table.js'

const blobRow = (blob: {digest: string; size: number; manifest: boolean}) => ({
  digest: blob.digest,
  size: blob.size,
  kind: blob.manifest ? 'manifest' : 'blob',
})

export default class GcHint extends BaseCommand<typeof GcHint> {
  static override description = `What registry garbage collection would free, and how to run it (docs/gc.md).

Over the API: whether deletion is enabled, the exact bytes GC frees once a cleanup plan has run (blobs only the plan's deleted manifests reference, across every repository), and the GC commands for common deployments. On the registry host, --storage reads the filesystem storage read-only and lists exactly the blobs \`registry garbage-collect\` would delete.`

  static override examples = [
    {
      description: 'Bytes a saved cleanup plan will free, and how to run GC',
      command: '<%= config.bin %> <%= command.id %> --registry localhost:5000 --plan plan.json',
    },
    {
      description: 'On the registry host: exactly what garbage-collect would delete',
      command: 'sudo <%= config.bin %> <%= command.id %> --storage /var/lib/registry',
    },
    {
      description: 'The same with --delete-untagged semantics, as JSON',
      command: '<%= config.bin %> <%= command.id %> --storage /var/lib/docker-registry --delete-untagged --json',
    },
  ]

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
    if (this.flags.storage) return this.storageHint(this.flags.storage)
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
    const warnings = [
      ...(hint.deletionEnabled
        ? []
        : [
            'deletion is disabled: enable it with REGISTRY_STORAGE_DELETE_ENABLED=true or storage.delete.enabled: true in the registry config, or nothing can be deleted',
          ]),
      ...(hint.hasIndexes ? [DELETE_UNTAGGED_WARNING] : []),
      ...(hint.reclaimable && hint.reclaimable.unreadable.length > 0
        ? [
            `${hint.reclaimable.unreadable.length} manifests of the plan are already gone and were not counted: run gc-hint --plan before applying the plan, or gc-hint --storage on the host`,
          ]
        : []),
    ]
    const recipes = gcRecipes()
    if (this.flags.json) {
      this.out(
        JSON.stringify(
          {
            registry: hint.registry,
            deletionEnabled: hint.deletionEnabled,
            repositories: hint.repositories,
            hasIndexes: hint.hasIndexes,
            plan: this.flags.plan ?? null,
            reclaimable: hint.reclaimable ? {...hint.reclaimable, blobs: hint.reclaimable.blobs.map(blobRow)} : null,
            warnings,
            gc: recipes,
          },
          null,
          2,
        ),
      )
      return
    }
    this.out(
      `deletion: ${hint.deletionEnabled ? 'enabled' : 'DISABLED'} on ${hint.registry} (${hint.repositories} ${hint.repositories === 1 ? 'repository' : 'repositories'})`,
    )
    if (hint.reclaimable) {
      const placeholders = hint.reclaimable.placeholders.manifests
      this.out(
        `garbage collection frees ${humanBytes(hint.reclaimable.bytes)} (${hint.reclaimable.bytes} bytes in ${hint.reclaimable.blobs.length} blobs${placeholders > 0 ? ` and the ${placeholders} placeholder manifests the plan's untags leave` : ''}) once the plan has run`,
      )
    } else {
      this.out('pass --plan FILE to see what a cleanup frees; untagged leftovers are only visible on the host: gc-hint --storage DIR')
    }
    this.printRecipes(recipes)
    for (const warning of warnings) if (!this.flags.quiet) this.warnLine(warning)
  }

  private async storageHint(root: string): Promise<void> {
    const deleteUntagged = this.flags['delete-untagged']
    const layout = await readStorage(root)
    const result = simulateGc(layout, {deleteUntagged})
    const hasIndexes = [...layout.manifests.values()].some((manifest) => manifest.children.length > 0)
    const warnings = [
      ...result.brokenIndexes.map(
        (broken) =>
          `--delete-untagged breaks ${broken.repository}:${broken.tags.join(',') || broken.index}: it deletes ${broken.children.length} of its platform manifests`,
      ),
      ...(!deleteUntagged && hasIndexes ? [DELETE_UNTAGGED_WARNING] : []),
      ...(!deleteUntagged && result.untagged.length > 0
        ? [
            `${result.untagged.length} untagged manifests keep their blobs; plain garbage-collect leaves them (delete them by digest with reglens image delete)`,
          ]
        : []),
    ]
    const recipes = gcRecipes({deleteUntagged})
    const blobs = result.blobs.map(blobRow)
    if (this.flags.json) {
      this.out(
        JSON.stringify(
          {
            storage: root,
            deleteUntagged,
            reclaimable: {bytes: result.bytes, blobs},
            manifests: result.manifests,
            brokenIndexes: result.brokenIndexes,
            untaggedManifests: result.untagged.length,
            warnings,
            gc: recipes,
          },
          null,
          2,
        ),
      )
      return
    }
    if (blobs.length > 0) {
      this.out(
        renderTable(
          blobs,
          [
            {header: 'BLOB', value: (row) => row.digest},
            {header: 'KIND', value: (row) => row.kind},
            {header: 'SIZE', value: (row) => String(row.size), align: 'right'},
          ],
          {head: this.stdoutChalk.bold},
        ),
      )
    }
    for (const manifest of result.manifests) this.out(`manifest eligible for deletion: ${manifest.repository}@${manifest.digest}`)
    this.out(
      `garbage-collect${deleteUntagged ? ' --delete-untagged' : ''} would delete ${blobs.length} blobs, ${humanBytes(result.bytes)} (${result.bytes} bytes)`,
    )
    this.printRecipes(recipes)
    for (const warning of warnings) if (!this.flags.quiet) this.warnLine(warning)
  }

  private printRecipes(recipes: ReturnType<typeof gcRecipes>): void {
    if (this.flags.quiet) return
    this.out(`\nrun garbage collection (dry run first, with the registry read-only or stopped; config: ${CONFIG_PATH}):`)
    for (const recipe of recipes) this.out(`  ${recipe.deployment}:\n${recipe.steps.map((step) => `    ${step}`).join('\n')}`)
  }
}
