import type {Digest} from '../../registry/digest.js'

/** Kinds of package records the inventory reads from image layers. */
export type PackageType = 'deb' | 'apk' | 'npm' | 'python' | 'rpm' | 'golang'

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

/** Something in the image that may hold packages but was not read: the result cannot vouch for it. */
export interface Unchecked {
  /** Image path of the record file; empty for a bound reached by a whole layer. */
  path: string
  /** The layer that holds it; empty when it is not one layer's (an ecosystem missing from the database). */
  layer: string
  reason: string
}

export interface Inventory {
  distro?: Distro
  packages: InstalledPackage[]
  /** What may hold packages but was not read (unreadable record files, bounds reached). */
  unchecked: Unchecked[]
}
