import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {registryEntry} from '../../cli/registry-entry.js'
import {defaultConfigPath} from '../../config/config.js'
import {saveRegistry} from '../../config/store.js'

export default class RegistryAdd extends BaseCommand<typeof RegistryAdd> {
  static override description =
    'Add (or replace) a named registry in the config file, with how to authenticate and trust it. The password itself is never stored: name an environment variable or a file.'

  static override examples = [
    {
      description: 'A registry:2 with htpasswd, password in an environment variable',
      command:
        '<%= config.bin %> <%= command.id %> prod https://registry.example.com --username ci --password-env PROD_REGISTRY_PASSWORD --default',
    },
    {
      description: 'A private CA and a password file',
      command:
        '<%= config.bin %> <%= command.id %> lab https://lab.internal:5000 --ca-cert ./lab-ca.pem --username me --password-file ~/.secrets/lab',
    },
    {
      description: 'Mutual TLS',
      command: '<%= config.bin %> <%= command.id %> secure https://secure.internal --client-cert client.pem --client-key client-key.pem',
    },
  ]

  static override args = {
    name: Args.string({required: true, description: 'Name to use with --registry (letters, digits, - and _).'}),
    url: Args.string({required: true, description: 'Registry root: https://host[:port], http://host[:port] (plain HTTP), or host[:port].'}),
  }

  static override flags = {
    username: Flags.string({description: 'User name to log in with.'}),
    'password-env': Flags.string({exclusive: ['password-file'], description: 'Environment variable that holds the password or token.'}),
    'password-file': Flags.string({description: 'File whose content is the password or token.'}),
    insecure: Flags.boolean({allowNo: false, description: 'Skip TLS certificate verification for this registry.'}),
    'ca-cert': Flags.string({description: 'PEM file of CA certificates to trust for this registry.'}),
    'client-cert': Flags.string({dependsOn: ['client-key'], description: 'PEM client certificate for mutual TLS.'}),
    'client-key': Flags.string({dependsOn: ['client-cert'], description: 'PEM private key of --client-cert.'}),
    default: Flags.boolean({description: 'Use this registry when a command names none.'}),
  }

  async run(): Promise<void> {
    const {endpoint, entry} = registryEntry(this.args.name, this.args.url, this.flags)
    const path = this.flags.config ?? defaultConfigPath()
    saveRegistry(path, this.args.name, entry, {makeDefault: this.flags.default})
    if (!this.flags.quiet)
      process.stderr.write(
        `registry "${this.args.name}" (${endpoint.url}) saved in ${path}${this.flags.default ? ' as the default' : ''}\n`,
      )
  }
}
