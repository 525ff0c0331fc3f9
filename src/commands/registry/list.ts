import {BaseCommand} from '../../cli/base-command.js'
import {listRegistries} from '../../config/registry-list.js'
import {renderRegistries} from '../../output/registries.js'

export default class RegistryList extends BaseCommand<typeof RegistryList> {
  static override description = 'List the registries of the config file. Passwords are never printed, only where they come from.'

  static override examples = [
    {description: 'As a table', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Names of configured registries', command: "<%= config.bin %> <%= command.id %> --json | jq -r '.registries[].name'"},
  ]

  async run(): Promise<void> {
    const config = this.userConfig
    const output = renderRegistries(listRegistries(config), config, {
      json: this.flags.json,
      quiet: this.flags.quiet,
      chalk: this.stdoutChalk,
    })
    if (output.stdout !== undefined) process.stdout.write(output.stdout)
    if (output.stderr !== undefined) process.stderr.write(output.stderr)
  }
}
