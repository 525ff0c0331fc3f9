import * as Args from '@oclif/core/args'

import {BaseCommand} from '../../cli/base-command.js'
import {defaultConfigPath} from '../../config/config.js'
import {removeRegistry} from '../../config/store.js'

export default class RegistryRemove extends BaseCommand<typeof RegistryRemove> {
  static override description = 'Remove a named registry from the config file (and the default, if it was the default).'

  static override examples = [{description: 'Forget the "lab" registry', command: '<%= config.bin %> <%= command.id %> lab'}]

  static override args = {
    name: Args.string({required: true, description: 'Name of the configured registry.'}),
  }

  async run(): Promise<void> {
    const path = this.flags.config ?? defaultConfigPath()
    const {wasDefault} = removeRegistry(path, this.args.name)
    if (!this.flags.quiet)
      process.stderr.write(`registry "${this.args.name}" removed from ${path}${wasDefault ? '; no default registry is set now' : ''}\n`)
  }
}
