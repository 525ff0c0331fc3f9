import type {BrokenIndex} from './mark-sweep.js'

/**
 * What a GC hint warns about, as data: the library decides when, the application words it (the CLI's
 * wording, which names its flags, is in src/output/gc-hint.ts).
 */
export type GcWarning =
  /** The registry refuses deletes: nothing a cleanup plans can go. */
  | {kind: 'deletionDisabled'}
  /** Multi-arch indexes exist: registry 2.x `garbage-collect --delete-untagged` would break them. */
  | {kind: 'deleteUntaggedBreaksIndexes'}
  /** Manifests the plan deletes were already gone, so their blobs were not counted. */
  | {kind: 'planManifestsGone'; count: number}
  /** With delete-untagged semantics, this index loses platform manifests. */
  | {kind: 'brokenIndex'; index: BrokenIndex}
  /** Untagged manifests that plain garbage-collect keeps, with their blobs. */
  | {kind: 'untaggedKept'; count: number}

/** Over the API: what the probe and the plan's walk found worth a warning. */
export function apiWarnings(hint: {deletionEnabled: boolean; hasIndexes: boolean; reclaimable?: {unreadable: unknown[]}}): GcWarning[] {
  const gone = hint.reclaimable?.unreadable.length ?? 0
  return [
    ...(hint.deletionEnabled ? [] : [{kind: 'deletionDisabled'} as const]),
    ...(hint.hasIndexes ? [{kind: 'deleteUntaggedBreaksIndexes'} as const] : []),
    ...(gone > 0 ? [{kind: 'planManifestsGone', count: gone} as const] : []),
  ]
}

/** On the storage: the indexes delete-untagged breaks, or (without it) what plain garbage-collect leaves. */
export function storageWarnings(
  result: {brokenIndexes: BrokenIndex[]; untagged: unknown[]},
  options: {deleteUntagged: boolean; hasIndexes: boolean},
): GcWarning[] {
  return [
    ...result.brokenIndexes.map((index) => ({kind: 'brokenIndex', index}) as const),
    ...(!options.deleteUntagged && options.hasIndexes ? [{kind: 'deleteUntaggedBreaksIndexes'} as const] : []),
    ...(!options.deleteUntagged && result.untagged.length > 0 ? [{kind: 'untaggedKept', count: result.untagged.length} as const] : []),
  ]
}
