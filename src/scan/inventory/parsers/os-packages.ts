import {parseStanzas} from './control.js'
import type {Distro} from '../types.js'

export interface PackageRecord {
  name: string
  version: string
  /** rpm packages: the architecture (several can be installed side by side: multilib). */
  arch?: string
  source?: {name: string; version?: string}
}

/** `etc/os-release`: shell-style KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Distro | undefined {
  const values: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim())
    if (match) values[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2')
  }
  if (!values.ID) return undefined
  return {
    id: values.ID,
    ...(values.VERSION_ID ? {versionId: values.VERSION_ID} : {}),
    ...(values.PRETTY_NAME ? {prettyName: values.PRETTY_NAME} : {}),
  }
}

/**
 * dpkg status (or a distroless `status.d/` file): installed packages with their source package. `Source:
 * name (version)` names a source version that differs from the binary's (binNMUs, renamed binaries).
 */
export function parseDpkgStatus(text: string): PackageRecord[] {
  const records: PackageRecord[] = []
  for (const stanza of parseStanzas(text)) {
    const name = stanza.Package
    const version = stanza.Version
    if (!name || !version) continue
    // status.d files carry no Status field; in the status file only fully installed packages count.
    if (stanza.Status !== undefined && !/\binstalled$/.test(stanza.Status.trim())) continue
    const source = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(stanza.Source ?? '')
    records.push({name, version, ...(source ? {source: {name: source[1], ...(source[2] ? {version: source[2]} : {})}} : {})})
  }
  return records
}

/** apk's installed database: `P:` name, `V:` version, `o:` origin (the aport advisories name). */
export function parseApkInstalled(text: string): PackageRecord[] {
  const records: PackageRecord[] = []
  let fields: Record<string, string> = {}
  const flush = () => {
    if (fields.P && fields.V) records.push({name: fields.P, version: fields.V, source: {name: fields.o ?? fields.P}})
    fields = {}
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') flush()
    else if (line[1] === ':' && !(line[0] in fields)) fields[line[0]] = line.slice(2).trim()
  }
  flush()
  return records
}
