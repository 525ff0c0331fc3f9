/**
 * The subset of the OSV schema (https://ossf.github.io/osv-schema/) that matching needs, validated:
 * database files are downloaded from the network and treated as untrusted.
 */

export interface OsvEvent {
  introduced?: string
  fixed?: string
  last_affected?: string
  limit?: string
}

export interface OsvRange {
  type: string
  events: OsvEvent[]
}

export interface OsvAffected {
  package: {ecosystem: string; name: string}
  ranges: OsvRange[]
  versions: string[]
  /** `ecosystem_specific.severity` or `database_specific.severity` of this affected entry, if any. */
  severity?: string
}

export interface OsvEntry {
  id: string
  aliases: string[]
  summary?: string
  details?: string
  modified?: string
  withdrawn?: string
  severity: {type: string; score: string}[]
  databaseSeverity?: string
  affected: OsvAffected[]
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [])
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

function severityField(value: unknown): string | undefined {
  // Debian's tracker calls it `urgency` (low, medium, high, unimportant).
  return isObject(value) ? (optionalString(value.severity) ?? optionalString(value.urgency)) : undefined
}

function parseEvent(value: unknown): OsvEvent | undefined {
  if (!isObject(value)) return undefined
  const event: OsvEvent = {}
  for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
    if (typeof value[key] === 'string') event[key] = value[key]
  }
  return Object.keys(event).length === 1 ? event : undefined
}

function parseRange(value: unknown): OsvRange | undefined {
  if (!isObject(value) || typeof value.type !== 'string' || !Array.isArray(value.events)) return undefined
  return {type: value.type, events: value.events.map(parseEvent).filter((event): event is OsvEvent => event !== undefined)}
}

function parseAffected(value: unknown): OsvAffected | undefined {
  if (!isObject(value) || !isObject(value.package)) return undefined
  const {ecosystem, name} = value.package
  if (typeof ecosystem !== 'string' || typeof name !== 'string' || ecosystem === '' || name === '') return undefined
  const ranges = Array.isArray(value.ranges) ? value.ranges.map(parseRange).filter((range): range is OsvRange => range !== undefined) : []
  const severity = severityField(value.ecosystem_specific) ?? severityField(value.database_specific)
  return {package: {ecosystem, name}, ranges, versions: strings(value.versions), ...(severity ? {severity} : {})}
}

/** Parses one OSV document; returns undefined when it is not a usable vulnerability entry. */
export function parseOsvEntry(value: unknown): OsvEntry | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '' || !Array.isArray(value.affected)) return undefined
  const severity = Array.isArray(value.severity)
    ? value.severity
        .filter(
          (item): item is {type: string; score: string} =>
            isObject(item) && typeof item.type === 'string' && typeof item.score === 'string',
        )
        .map(({type, score}) => ({type, score}))
    : []
  const databaseSeverity = severityField(value.database_specific)
  const entry: OsvEntry = {
    id: value.id,
    aliases: strings(value.aliases),
    severity,
    affected: value.affected.map(parseAffected).filter((affected): affected is OsvAffected => affected !== undefined),
  }
  for (const key of ['summary', 'details', 'modified', 'withdrawn'] as const) {
    const text = optionalString(value[key])
    if (text !== undefined) entry[key] = text
  }
  if (databaseSeverity) entry.databaseSeverity = databaseSeverity
  return entry
}
