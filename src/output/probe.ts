import {describePullQuota} from '../registry/rate-limit.js'
import type {ProbeReport} from '../registry/probe.js'

function yesNo(value: boolean | null, yes: string, no: string, unknown: string): string {
  return value === null ? unknown : value ? yes : no
}

/** `registry test`: one line per check, key and answer (JSON is the report itself, docs/json/registry.md). */
export function renderProbe(report: ProbeReport): string {
  const auth = report.auth
  const creds = report.credentials
  const who = creds.source ? `${creds.source}${creds.username ? `, user ${creds.username}` : ''}` : ''
  const lines: [string, string][] = [
    ['registry', `${report.registry} (${report.url})`],
    ['reachable', 'yes'],
    ['api version', report.apiVersion ?? 'not announced'],
    [
      'auth',
      auth.method === 'none'
        ? 'none'
        : `${auth.method}${auth.realm ? ` (realm ${auth.realm}${auth.service ? `, service ${auth.service}` : ''})` : ''}`,
    ],
    [
      'credentials',
      creds.source
        ? `${yesNo(creds.accepted, 'accepted', 'REJECTED', 'not checked')} (${who})`
        : creds.detail
          ? `none found: ${creds.detail}`
          : 'none needed',
    ],
    ['deletion', `${yesNo(report.deletion.enabled, 'enabled', 'disabled', 'unknown')}: ${report.deletion.detail}`],
    ['pull quota', report.pullQuota ? describePullQuota(report.pullQuota) : 'none announced'],
  ]
  return lines.map(([key, value]) => `${key.padEnd(12)} ${value}`).join('\n')
}
