import type {ApiHint} from '../gc/api-hint.js'
import {CONFIG_PATH, DELETE_UNTAGGED_WARNING, type GcRecipe, gcRecipes} from '../gc/instructions.js'
import type {StorageHint} from '../gc/storage-hint.js'
import type {GcWarning} from '../gc/warnings.js'
import {humanBytes} from './bytes.js'
import {renderTable} from './table.js'

/** What `gc-hint` prints: data for stdout (docs/json/gc-hint.md with --json) and warnings for stderr. */
export interface GcHintReport {
  stdout: string
  warnings: string[]
}

export interface GcHintOptions {
  json: boolean
  quiet: boolean
  head: (text: string) => string
}

/** A warning in the CLI's words (these name its commands and flags). */
export function gcWarningText(warning: GcWarning): string {
  switch (warning.kind) {
    case 'deletionDisabled':
      return 'deletion is disabled: enable it with REGISTRY_STORAGE_DELETE_ENABLED=true or storage.delete.enabled: true in the registry config, or nothing can be deleted'
    case 'deleteUntaggedBreaksIndexes':
      return DELETE_UNTAGGED_WARNING
    case 'planManifestsGone':
      return `${warning.count} manifests of the plan are already gone and were not counted: run gc-hint --plan before applying the plan, or gc-hint --storage on the host`
    case 'brokenIndex': {
      const {repository, tags, index, children} = warning.index
      return `--delete-untagged breaks ${repository}:${tags.join(',') || index}: it deletes ${children.length} of its platform manifests`
    }
    case 'untaggedKept':
      return `${warning.count} untagged manifests keep their blobs; plain garbage-collect leaves them (delete them by digest with reglens image delete)`
  }
}

const blobRow = (blob: {digest: string; size: number; manifest: boolean}) => ({
  digest: blob.digest,
  size: blob.size,
  kind: blob.manifest ? 'manifest' : 'blob',
})

/** The recipes as text lines, none with --quiet. */
function recipeLines(recipes: GcRecipe[], quiet: boolean): string[] {
  if (quiet) return []
  return [
    `\nrun garbage collection (dry run first, with the registry read-only or stopped; config: ${CONFIG_PATH}):`,
    ...recipes.map((recipe) => `  ${recipe.deployment}:\n${recipe.steps.map((step) => `    ${step}`).join('\n')}`),
  ]
}

const report = (lines: string[], warnings: GcWarning[], options: GcHintOptions): GcHintReport => ({
  stdout: lines.join('\n'),
  warnings: options.json || options.quiet ? [] : warnings.map(gcWarningText),
})

/** Over the API: deletion enabled or not, and with a plan (`plan` is its file) what GC frees once it has run. */
export function renderApiHint(hint: ApiHint, plan: string | undefined, options: GcHintOptions): GcHintReport {
  const recipes = gcRecipes()
  const freed = hint.reclaimable
  if (options.json) {
    const document = {
      registry: hint.registry,
      deletionEnabled: hint.deletionEnabled,
      repositories: hint.repositories,
      hasIndexes: hint.hasIndexes,
      plan: plan ?? null,
      reclaimable: freed ? {...freed, blobs: freed.blobs.map(blobRow)} : null,
      warnings: hint.warnings.map(gcWarningText),
      gc: recipes,
    }
    return report([JSON.stringify(document, null, 2)], [], options)
  }
  const placeholders = freed?.placeholders.manifests ?? 0
  return report(
    [
      `deletion: ${hint.deletionEnabled ? 'enabled' : 'DISABLED'} on ${hint.registry} (${hint.repositories} ${hint.repositories === 1 ? 'repository' : 'repositories'})`,
      freed
        ? `garbage collection frees ${humanBytes(freed.bytes)} (${freed.bytes} bytes in ${freed.blobs.length} blobs${placeholders > 0 ? ` and the ${placeholders} placeholder manifests the plan's untags leave` : ''}) once the plan has run`
        : 'pass --plan FILE to see what a cleanup frees; untagged leftovers are only visible on the host: gc-hint --storage DIR',
      ...recipeLines(recipes, options.quiet),
    ],
    hint.warnings,
    options,
  )
}

/** On the host: exactly the blobs (and, with delete-untagged, the manifests) garbage-collect would delete. */
export function renderStorageHint(hint: StorageHint, options: GcHintOptions): GcHintReport {
  const {result, deleteUntagged} = hint
  const recipes = gcRecipes({deleteUntagged})
  const blobs = result.blobs.map(blobRow)
  if (options.json) {
    const document = {
      storage: hint.storage,
      deleteUntagged,
      reclaimable: {bytes: result.bytes, blobs},
      manifests: result.manifests,
      brokenIndexes: result.brokenIndexes,
      untaggedManifests: result.untagged.length,
      warnings: hint.warnings.map(gcWarningText),
      gc: recipes,
    }
    return report([JSON.stringify(document, null, 2)], [], options)
  }
  const table = renderTable(
    blobs,
    [
      {header: 'BLOB', value: (row) => row.digest},
      {header: 'KIND', value: (row) => row.kind},
      {header: 'SIZE', value: (row) => String(row.size), align: 'right'},
    ],
    {head: options.head},
  )
  return report(
    [
      ...(blobs.length > 0 ? [table] : []),
      ...result.manifests.map((manifest) => `manifest eligible for deletion: ${manifest.repository}@${manifest.digest}`),
      `garbage-collect${deleteUntagged ? ' --delete-untagged' : ''} would delete ${blobs.length} blobs, ${humanBytes(result.bytes)} (${result.bytes} bytes)`,
      ...recipeLines(recipes, options.quiet),
    ],
    hint.warnings,
    options,
  )
}
