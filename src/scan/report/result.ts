import {type Severity, SEVERITIES, severityRank} from '../severity.js'
import type {ScannedImage} from '../target.js'
import type {Unchecked} from '../inventory/types.js'

/** One vulnerability in one package, in the shape every backend maps to. */
export interface ScanDetail {
  id: string
  package: string
  installedVersion: string
  /** Empty when no fix is known. */
  fixedVersion: string
  severity: Severity
  /** Digest of the layer that installed the package; empty when the backend could not tell. */
  layer: string
  title: string
  /** Package kind as the backend names it (`deb`, `apk`, `npm`, `python`…). */
  type: string
}

export type SeverityCounts = Record<Severity, number>

export interface LayerSummary extends SeverityCounts {
  digest: string
  total: number
}

/** The documented `scan --json` document (docs/json/scan.md). */
export interface ScanResult extends SeverityCounts, ScannedImage {
  scanner: string
  scannedAt: string
  total: number
  layers: LayerSummary[]
  details: ScanDetail[]
  /** Things that limit the result (a missing ecosystem in the database, unreadable records…), one line each. */
  warnings: string[]
  /** What may hold packages but was not checked (builtin scanner; empty for trivy and grype). `--fail-on` fails on any. */
  unchecked: Unchecked[]
}

export function countSeverities(details: readonly ScanDetail[]): SeverityCounts & {total: number} {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as SeverityCounts
  for (const detail of details) counts[detail.severity]++
  return {total: details.length, ...counts}
}

/** Most severe first, then by package and id, so output is stable run to run. */
export function sortDetails(details: ScanDetail[]): ScanDetail[] {
  return details.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.package.localeCompare(b.package) ||
      a.id.localeCompare(b.id) ||
      a.installedVersion.localeCompare(b.installedVersion),
  )
}

/** Per-layer counts for every layer of the image, in layer order (layers without findings count zero). */
export function summarizeLayers(layerDigests: readonly string[], details: readonly ScanDetail[]): LayerSummary[] {
  const summaries = layerDigests.map((digest) => ({digest, ...countSeverities(details.filter((detail) => detail.layer === digest))}))
  const unattributed = details.filter((detail) => !layerDigests.includes(detail.layer))
  if (unattributed.length > 0) summaries.push({digest: '', ...countSeverities(unattributed)})
  return summaries
}

/** Builds the full result from a backend's findings. */
export function buildResult(
  head: Omit<ScanResult, keyof SeverityCounts | 'total' | 'layers' | 'details'>,
  layerDigests: readonly string[],
  details: ScanDetail[],
): ScanResult {
  const sorted = sortDetails(details)
  return {...head, ...countSeverities(sorted), layers: summarizeLayers(layerDigests, sorted), details: sorted}
}

/** Findings at or above a severity (`--fail-on`); unknown severities never reach a threshold. */
export function findingsAtOrAbove(result: ScanResult, threshold: Severity): ScanDetail[] {
  return result.details.filter((detail) => detail.severity !== 'unknown' && severityRank(detail.severity) >= severityRank(threshold))
}
