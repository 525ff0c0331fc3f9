import {BaseCommand} from '../../cli/base-command.js'
import type {RegistryEntry} from '../../config/config.js'
import {writeJson} from '../../output/json.js'
import {renderTable} from '../../output/table.js'

/** Where an entry's password comes from, without the secret. */
function passwordSource(entry: RegistryEntry): {from: 'env' | 'file' | 'plain'; name?: string} | null {
  if (entry.password_env) return {from: 'env', name: entry.password_env}
  if (entry.password_file) return {from: 'file', name: entry.password_file}
  if (entry.password !== undefined) return {from: 'plain'}
  return null
}

export default class RegistryList extends BaseCommand<typeof RegistryList> {
  static override description = 'List the registries of the config file. Passwords are never printed, only where they come from.'

  static override examples = [
    {description: 'As a table', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Names of configured registries', command: "<%= config.bin %> <%= command.id %> --json | jq -r '.registries[].name'"},
  ]

  async run(): Promise<void> {
    const config = this.userConfig
    const rows = Object.entries(config.registries).map(([name, entry]) => ({
      name,
      url: entry.url,
      default: config.default === name,
      username: entry.username ?? null,
      password: passwordSource(entry),
      insecure: entry.insecure ?? false,
      caCert: entry.ca_cert ?? null,
      clientCert: entry.client_cert ?? null,
      clientKey: entry.client_key ?? null,
    }))
    if (this.flags.json) {
      writeJson(process.stdout, {config: config.path ?? null, default: config.default ?? null, registries: rows})
      return
    }
    const password = (row: (typeof rows)[number]) =>
      row.password ? (row.password.name ? `${row.password.from}:${row.password.name}` : row.password.from) : ''
    if (rows.length > 0) {
      const table = renderTable(
        rows,
        [
          {header: 'NAME', value: (row) => `${row.name}${row.default ? ' *' : ''}`},
          {header: 'URL', value: (row) => row.url},
          {header: 'USERNAME', value: (row) => row.username ?? ''},
          {header: 'PASSWORD', value: password},
          {
            header: 'TLS',
            value: (row) =>
              row.insecure
                ? 'insecure'
                : [row.caCert ? 'ca' : '', row.clientCert ? 'client-cert' : ''].filter(Boolean).join(',') || 'default',
          },
        ],
        {head: this.stdoutChalk.bold},
      )
      this.out(table)
    }
    if (!this.flags.quiet)
      process.stderr.write(
        `${rows.length} ${rows.length === 1 ? 'registry' : 'registries'}${config.path ? ` in ${config.path}` : ' (no config file)'}${config.default ? `; * = default` : ''}\n`,
      )
  }
}
