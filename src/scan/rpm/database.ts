import {readBdbBlobs} from './bdb.js'
import {MalformedRpmHeader, parseRpmHeader, type RpmPackage} from './header.js'
import {readNdbBlobs} from './ndb.js'
import {readSqliteBlobs} from './sqlite.js'

/** The three on-disk formats rpm has used for its package database. */
export type RpmDatabaseKind = 'sqlite' | 'bdb' | 'ndb'

/** What a backend yields: each package's header blob, and how many records it could not even extract. */
export interface HeaderBlobs {
  blobs: Uint8Array[]
  skipped: number
}

/** What the inventory keeps of a database: its packages, and what could not be read (never silently dropped). */
export interface RpmDatabaseRead {
  packages: RpmPackage[]
  /** Records present but unreadable (malformed header, broken page chain). */
  skipped: number
  /** Set when the database as a whole could not be read (one line). */
  error?: string
}

/**
 * rpm databases larger than this are not read (the file is held in memory, and sql.js copies it into
 * its heap): a container image's database is a few MB to a few tens of MB.
 */
export const MAX_RPM_DATABASE_BYTES = 128 * 1024 * 1024

const BASENAMES: Record<string, RpmDatabaseKind> = {'rpmdb.sqlite': 'sqlite', Packages: 'bdb', 'Packages.db': 'ndb'}

/** The database kind of an image path: `var/lib/rpm/` (every rpm) or `usr/lib/sysimage/rpm/` (Fedora, openSUSE, RHEL 9+). */
export function rpmDatabaseKind(path: string): RpmDatabaseKind | undefined {
  const match = /^(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/([^/]+)$/.exec(path)
  return match ? BASENAMES[match[1]] : undefined
}

async function blobsOf(kind: RpmDatabaseKind, bytes: Uint8Array): Promise<HeaderBlobs> {
  switch (kind) {
    case 'sqlite':
      return readSqliteBlobs(bytes)
    case 'bdb':
      return readBdbBlobs(bytes)
    case 'ndb':
      return readNdbBlobs(bytes)
  }
}

/** Reads an rpm database of any kind; never throws: problems come back as `error` or `skipped`. */
export async function readRpmDatabase(kind: RpmDatabaseKind, bytes: Uint8Array): Promise<RpmDatabaseRead> {
  if (bytes.length > MAX_RPM_DATABASE_BYTES)
    return {
      packages: [],
      skipped: 0,
      error: `rpm ${kind} database of ${bytes.length} bytes is larger than the ${MAX_RPM_DATABASE_BYTES}-byte limit`,
    }
  let read: HeaderBlobs
  try {
    read = await blobsOf(kind, bytes)
  } catch (error) {
    return {packages: [], skipped: 0, error: (error as Error).message}
  }
  const packages: RpmPackage[] = []
  let skipped = read.skipped
  for (const blob of read.blobs) {
    try {
      packages.push(parseRpmHeader(blob))
    } catch (error) {
      if (!(error instanceof MalformedRpmHeader)) throw error
      skipped++
    }
  }
  return {packages, skipped}
}
