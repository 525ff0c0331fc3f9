import type {RecordKind} from './files.js'
import {parseNodeModulesPackage, parsePackageLock, parsePythonMetadata} from './parsers/app-packages.js'
import {type PackageRecord, parseApkInstalled, parseDpkgStatus, parseOsRelease} from './parsers/os-packages.js'
import type {Distro, PackageType} from './types.js'
import {readRpmDatabase, rpmDatabaseKind} from '../rpm/database.js'
import {rpmLayerFile} from '../rpm/record.js'

/**
 * A record file as a layer holds it, already parsed: its packages, the OS it names, or why it was not
 * read. Layers are parsed as they stream, so only these (small) values are kept and cached, never the
 * files' content.
 */
export type LayerFile =
  | {kind: 'packages'; type: PackageType; records: PackageRecord[]; /** Why some of the file's packages were not read. */ partly?: string}
  | {kind: 'os-release'; distro?: Distro}
  | {kind: 'unread'; reason: string}

/** Record files read as text (an rpm database is binary: see rpm/record.ts). */
export type TextRecordKind = Exclude<RecordKind, 'rpm-database'>

const PACKAGE_PARSERS: Record<Exclude<TextRecordKind, 'os-release'>, {type: PackageType; parse: (text: string) => PackageRecord[]}> = {
  'dpkg-status': {type: 'deb', parse: parseDpkgStatus},
  'apk-installed': {type: 'apk', parse: parseApkInstalled},
  'npm-lock': {type: 'npm', parse: parsePackageLock},
  'npm-package': {type: 'npm', parse: parseNodeModulesPackage},
  'python-metadata': {type: 'python', parse: parsePythonMetadata},
}

export function parseRecordFile(kind: TextRecordKind, content: Buffer): LayerFile {
  const text = content.toString('utf8')
  if (kind === 'os-release') {
    const distro = parseOsRelease(text)
    return distro ? {kind, distro} : {kind}
  }
  const {type, parse} = PACKAGE_PARSERS[kind]
  return {kind: 'packages', type, records: parse(text)}
}

/** Any record file: an rpm database (binary) by its own readers (sql.js for sqlite), the others as text. */
export async function parseRecord(kind: RecordKind, path: string, content: Buffer): Promise<LayerFile> {
  if (kind === 'rpm-database') return rpmLayerFile(await readRpmDatabase(rpmDatabaseKind(path)!, content))
  return parseRecordFile(kind, content)
}
