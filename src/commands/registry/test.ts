import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveRegistry} from '../../config/resolve.js'
import {ExitCode} from '../../errors.js'
import {writeJson} from '../../output/json.js'
import {renderProbe} from '../../output/probe.js'
import {DEFAULT_PROBE_REPOSITORY, probeRegistry} from '../../registry/probe.js'

export default class RegistryTest extends BaseCommand<typeof RegistryTest> {
  static override description = `Check a registry: reachability, API version, the auth method it asks for, whether the credentials work, whether deletion is enabled, and the pull quota where the registry announces one (Docker Hub, read with a HEAD, which does not count as a pull).
The deletion check DELETEs a random, nonexistent manifest digest (nothing can be deleted): 404/202 means enabled, 405 disabled. Exit 6 when the credentials are rejected.`

  static override examples = [
    {description: 'A configured registry', command: '<%= config.bin %> <%= command.id %> prod'},
    {
      description: 'A URL, with credentials from the environment, as JSON',
      command: 'REGLENS_USERNAME=ci REGLENS_PASSWORD=... <%= config.bin %> <%= command.id %> https://registry.example.com --json',
    },
    {
      description: 'Probe deletion in a repository you may delete in (Harbor, GitLab)',
      command: '<%= config.bin %> <%= command.id %> harbor --repository myproject/app',
    },
  ]

  static override args = {
    registry: Args.string({required: true, description: 'A configured registry name, a host[:port], or an http(s):// URL.'}),
  }

  static override flags = {
    repository: Flags.string({
      default: DEFAULT_PROBE_REPOSITORY,
      description: 'Repository the deletion probe targets (needs delete permission there).',
    }),
  }

  async run(): Promise<void> {
    const endpoint = await this.settled(resolveRegistry({...this.targetOptions(), registry: this.args.registry}))
    const authenticator = this.authenticatorFor(endpoint)
    const client = await this.clientFor(endpoint, {authenticator})
    const report = await probeRegistry(client, authenticator, {repository: this.flags.repository})
    if (this.flags.json) writeJson(process.stdout, report)
    else this.out(renderProbe(report))
    if (report.credentials.accepted === false) process.exitCode = ExitCode.unauthorized
  }
}
