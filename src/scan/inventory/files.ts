import {MAX_RPM_DATABASE_BYTES, rpmDatabaseKind} from '../rpm/database.js'

/** The package-record files the inventory reads from a layer; every other file is skipped unread. */
export type RecordKind = 'os-release' | 'dpkg-status' | 'apk-installed' | 'npm-lock' | 'npm-package' | 'python-metadata' | 'rpm-database'

const NODE_MODULES_PACKAGE = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/

/** Paths as the image filesystem sees them: no leading `./` or `/`, no trailing `/`. */
export function normalizePath(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '')
}

export function classify(path: string): RecordKind | undefined {
  if (path === 'etc/os-release' || path === 'usr/lib/os-release') return 'os-release'
  if (path === 'var/lib/dpkg/status') return 'dpkg-status'
  if (path.startsWith('var/lib/dpkg/status.d/') && !path.slice('var/lib/dpkg/status.d/'.length).includes('/') && !path.endsWith('.md5sums'))
    return 'dpkg-status'
  if (path === 'lib/apk/db/installed') return 'apk-installed'
  if (
    path.endsWith('package-lock.json') &&
    (path === 'package-lock.json' || path.endsWith('/package-lock.json')) &&
    !path.includes('node_modules/')
  )
    return 'npm-lock'
  if (NODE_MODULES_PACKAGE.test(path)) return 'npm-package'
  if (/\.dist-info\/METADATA$/.test(path)) return 'python-metadata'
  if (rpmDatabaseKind(path)) return 'rpm-database'
  return undefined
}

/**
 * The largest record file of each kind that is read: a larger one is no package record of that kind
 * (or not one worth its memory) and is reported as not read. A node_modules package.json or a wheel's
 * METADATA is a few kilobytes; a dpkg status or a large lockfile several megabytes; an rpm database tens of megabytes.
 */
export const MAX_RECORD_BYTES: Record<RecordKind, number> = {
  'os-release': 64 * 1024,
  'dpkg-status': 32 * 1024 * 1024,
  'apk-installed': 32 * 1024 * 1024,
  'npm-lock': 16 * 1024 * 1024,
  'npm-package': 1024 * 1024,
  'python-metadata': 1024 * 1024,
  'rpm-database': MAX_RPM_DATABASE_BYTES,
}
