import type {Digest} from '../../registry/digest.js'

/** Kinds of package records the inventory reads from image layers. */
export type PackageType = 'deb' | 'apk' | 'npm' | 'python' | 'rpm'

export interface InstalledPackage {
  type: PackageType
  name: string
  /** rpm: `[epoch:]version-release`, the epoch only when the package has one (as rpm prints `%{EVR}`). */
  version: string
  /** rpm: the architecture (`x86_64`, `noarch`). */
  arch?: string
  /** The source package (dpkg `Source:`, apk origin, rpm source RPM) when the advisory database is keyed by it. */
  source?: {name: string; version?: string}
  /** The layer that installed it: where its record first appears with its final version. */
  layer: Digest
  /** Path of the record in the image filesystem. */
  path: string
}

/** From `etc/os-release` (or `usr/lib/os-release`). */
export interface Distro {
  id: string
  versionId?: string
  prettyName?: string
}

export interface Inventory {
  distro?: Distro
  packages: InstalledPackage[]
  /** What could not be read (an unreadable or oversized package database): its packages are missing. */
  warnings?: string[]
}
