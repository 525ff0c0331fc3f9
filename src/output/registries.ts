import type {ChalkInstance} from 'chalk'

import {renderTable} from './table.js'
import type {Config} from '../config/config.js'
import type {ListedRegistry} from '../config/registry-list.js'

const password = (row: ListedRegistry) =>
  row.password ? (row.password.name ? `${row.password.from}:${row.password.name}` : row.password.from) : ''

const tls = (row: ListedRegistry) =>
  row.insecure ? 'insecure' : [row.caCert ? 'ca' : '', row.clientCert ? 'client-cert' : ''].filter(Boolean).join(',') || 'default'

/**
 * `registry list`: the JSON document (docs/json/registry.md), or a table (nothing when there are no
 * registries) and a count line for stderr (none with --quiet or --json).
 */
export function renderRegistries(
  rows: ListedRegistry[],
  config: Pick<Config, 'path' | 'default'>,
  options: {json: boolean; quiet: boolean; chalk: ChalkInstance},
): {stdout?: string; stderr?: string} {
  if (options.json)
    return {stdout: `${JSON.stringify({config: config.path ?? null, default: config.default ?? null, registries: rows}, null, 2)}\n`}
  const table =
    rows.length === 0
      ? undefined
      : renderTable(
          rows,
          [
            {header: 'NAME', value: (row) => `${row.name}${row.default ? ' *' : ''}`},
            {header: 'URL', value: (row) => row.url},
            {header: 'USERNAME', value: (row) => row.username ?? ''},
            {header: 'PASSWORD', value: password},
            {header: 'TLS', value: tls},
          ],
          {head: options.chalk.bold},
        )
  const count = `${rows.length} ${rows.length === 1 ? 'registry' : 'registries'}${config.path ? ` in ${config.path}` : ' (no config file)'}${config.default ? `; * = default` : ''}\n`
  return {...(table === undefined ? {} : {stdout: `${table}\n`}), ...(options.quiet ? {} : {stderr: count})}
}
