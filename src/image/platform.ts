import {UsageError} from '../errors.js'
import type {Descriptor, Platform} from '../registry/types/manifest.js'

/** What `--platform os/arch[/variant]` asks for. */
export interface PlatformFilter {
  os: string
  architecture: string
  variant?: string
}

/** Architecture spellings from uname and distributions, as the OCI/Go names (containerd's normalisation). */
const ARCHITECTURE_ALIASES: Record<string, {architecture: string; variant?: string}> = {
  x86_64: {architecture: 'amd64'},
  'x86-64': {architecture: 'amd64'},
  aarch64: {architecture: 'arm64'},
  armhf: {architecture: 'arm', variant: 'v7'},
  armel: {architecture: 'arm', variant: 'v6'},
  i386: {architecture: '386'},
  i686: {architecture: '386'},
}

/** The variant an image has when its manifest names none. */
const DEFAULT_VARIANT: Record<string, string> = {arm64: 'v8', arm: 'v7', amd64: 'v1'}

const SEGMENT = /^[a-z0-9._-]+$/

/** Parses `os/arch[/variant]`, normalising architecture aliases (`x86_64` → `amd64`, `aarch64` → `arm64`). */
export function parsePlatformFilter(text: string): PlatformFilter {
  const parts = text.trim().toLowerCase().split('/')
  if (parts.length < 2 || parts.length > 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw new UsageError(`invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`)
  }
  const [os, arch, variant] = parts
  const alias = ARCHITECTURE_ALIASES[arch]
  const architecture = alias?.architecture ?? arch
  const impliedVariant = variant ?? alias?.variant
  return {os, architecture, ...(impliedVariant === undefined ? {} : {variant: impliedVariant})}
}

/** A variant compared the way runtimes do: `arm64` is `arm64/v8`, `8` is `v8`. */
function normalVariant(architecture: string, variant: string | undefined): string {
  if (variant === undefined || variant === '') return DEFAULT_VARIANT[architecture] ?? ''
  return /^\d+$/.test(variant) ? `v${variant}` : variant.toLowerCase()
}

/** True when `platform` satisfies the filter; a filter without a variant accepts every variant. */
export function matchesPlatform(platform: Platform, filter: PlatformFilter): boolean {
  if (platform.os.toLowerCase() !== filter.os) return false
  const architecture = ARCHITECTURE_ALIASES[platform.architecture]?.architecture ?? platform.architecture
  if (architecture !== filter.architecture) return false
  return filter.variant === undefined || normalVariant(architecture, platform.variant) === normalVariant(architecture, filter.variant)
}

/**
 * The one entry the filter selects: among several matches (a filter without a variant over
 * arm/v6 and arm/v7), the architecture's default variant wins, then the first listed.
 */
export function selectPlatform<T>(entries: readonly T[], filter: PlatformFilter, platformOf: (entry: T) => Platform): T | undefined {
  const matches = entries.filter((entry) => matchesPlatform(platformOf(entry), filter))
  const preferred = DEFAULT_VARIANT[filter.architecture]
  return matches.find((entry) => normalVariant(filter.architecture, platformOf(entry).variant) === preferred) ?? matches[0]
}

export function formatPlatform(platform: Platform | PlatformFilter): string {
  return [platform.os, platform.architecture, ...(platform.variant ? [platform.variant] : [])].join('/')
}

/**
 * buildx attestation manifests (SBOM, provenance) sit in an index beside the images they describe:
 * marked by an annotation, and by the placeholder platform unknown/unknown.
 */
export function isAttestation(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true
  return descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown'
}
