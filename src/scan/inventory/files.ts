/** The package-record files the inventory reads from a layer; every other file is skipped unread. */
export type RecordKind = 'os-release' | 'dpkg-status' | 'apk-installed' | 'npm-lock' | 'npm-package' | 'python-metadata'

const NODE_MODULES_PACKAGE = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/

/** Paths as the image filesystem sees them: no leading `./` or `/`, no trailing `/`. */
export function normalizePath(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '')
}

export function classify(path: string): RecordKind | undefined {
  if (path === 'etc/os-release' || path === 'usr/lib/os-release') return 'os-release'
  if (path === 'var/lib/dpkg/status') return 'dpkg-status'
  if (path.startsWith('var/lib/dpkg/status.d/') && !path.slice('var/lib/dpkg/status.d/'.length).includes('/') && !path.endsWith('.md5sums')) return 'dpkg-status'
  if (path === 'lib/apk/db/installed') return 'apk-installed'
  if (path.endsWith('package-lock.json') && (path === 'package-lock.json' || path.endsWith('/package-lock.json')) && !path.includes('node_modules/')) return 'npm-lock'
  if (NODE_MODULES_PACKAGE.test(path)) return 'npm-package'
  if (/\.dist-info\/METADATA$/.test(path)) return 'python-metadata'
  return undefined
}

/**
 * The largest record file of each kind that is read: a larger one is no package record of that kind
 * (or not one worth its memory) and is reported as not read. A node_modules package.json or a wheel's
 * METADATA is a few kilobytes; a dpkg status or a large lockfile several megabytes.
 */
export const MAX_RECORD_BYTES: Record<RecordKind, number> = {
  'os-release': 64 * 1024,
  'dpkg-status': 32 * 1024 * 1024,
  'apk-installed': 32 * 1024 * 1024,
  'npm-lock': 16 * 1024 * 1024,
  'npm-package': 1024 * 1024,
  'python-metadata': 1024 * 1024,
}

/**
 * Package databases the inventory cannot read: their packages are reported as not checked, so that an
 * image of such a distribution never passes for one without packages.
 */
export function unsupportedDatabase(path: string): string | undefined {
  if (/^(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/(?:Packages|Packages\.db|rpmdb\.sqlite)$/.test(path)) return 'an RPM package database'
  return undefined
}
