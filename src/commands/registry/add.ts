import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {defaultConfigPath, type RegistryEntry} from '../../config/config.js'
import {saveRegistry} from '../../config/store.js'
import {UsageError} from '../../errors.js'
import {endpointFromUrl} from '../../registry/endpoint.js'

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

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
    const {name, url} = this.args
    if (!NAME.test(name) || name === 'localhost')
      throw new UsageError(
        `invalid registry name "${name}": use letters, digits, - and _ (a name with a dot or colon would read as a host)`,
      )
    const endpoint = endpointFromUrl(url)
    const flags = this.flags
    if ((flags['password-env'] || flags['password-file']) && !flags.username)
      throw new UsageError('--password-env/--password-file need --username')
    if (flags['password-env'] && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags['password-env']))
      throw new UsageError(`--password-env: "${flags['password-env']}" is not an environment variable name`)
    const file = (path: string | undefined, flag: string) => {
      if (path === undefined) return undefined
      const absolute = resolve(path)
      if (!existsSync(absolute)) throw new UsageError(`--${flag}: ${absolute} does not exist`)
      return absolute
    }
    const caCert = file(flags['ca-cert'], 'ca-cert')
    const clientCert = file(flags['client-cert'], 'client-cert')
    const clientKey = file(flags['client-key'], 'client-key')
    const passwordFile = file(flags['password-file'], 'password-file')
    const entry: RegistryEntry = {
      url: /^[a-z]+:\/\//i.test(url) ? url.replace(/\/+$/, '') : endpoint.url,
      ...(flags.username ? {username: flags.username} : {}),
      ...(flags['password-env'] ? {password_env: flags['password-env']} : {}),
      ...(passwordFile ? {password_file: passwordFile} : {}),
      ...(flags.insecure ? {insecure: true} : {}),
      ...(caCert ? {ca_cert: caCert} : {}),
      ...(clientCert ? {client_cert: clientCert} : {}),
      ...(clientKey ? {client_key: clientKey} : {}),
    }
    const path = flags.config ?? defaultConfigPath()
    saveRegistry(path, name, entry, {makeDefault: flags.default})
    if (!flags.quiet)
      process.stderr.write(`registry "${name}" (${endpoint.url}) saved in ${path}${flags.default ? ' as the default' : ''}\n`)
  }
}
