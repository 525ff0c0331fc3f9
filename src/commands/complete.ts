import * as Args from '@oclif/core/args'

import {BaseCommand} from '../cli/base-command.js'
import {CompletionCache} from '../completion/cache.js'
import {complete} from '../completion/complete.js'
import {completionRequest} from '../completion/request.js'
import {type Config, loadConfig} from '../config/config.js'
import {configCredentials} from '../config/credentials.js'
import {ChallengeAuthenticator} from '../registry/auth/authenticator.js'
import {listRepositories} from '../registry/catalog.js'
import {CredentialChain} from '../registry/credentials/chain.js'
import {envCredentials} from '../registry/credentials/env.js'
import {listTags} from '../registry/tags.js'
import {cacheRoot} from '../scan/paths.js'
import {join} from 'node:path'

/**
 * How long the registry has to answer: 100 ms less than the shell scripts give the whole process
 * ($REGLENS_COMPLETION_TIMEOUT seconds, 0.3 by default), and never less than 200 ms.
 */
function registryBudgetMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.REGLENS_COMPLETION_TIMEOUT)
  return Math.max(200, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 - 100 : 0)
}

export default class Complete extends BaseCommand<typeof Complete> {
  static override hidden = true
  static override strict = false
  static override description = `Completion candidates for the shell scripts \`reglens autocomplete\` installs, one per line.

Completes configured registry names (after --registry), and repositories and tags of a reference from the registry, through a 60-second cache under $XDG_CACHE_HOME/reglens/completion. Gives the registry 200 ms (or $REGLENS_COMPLETION_TIMEOUT seconds less 100 ms, the time the shell scripts give the whole process, default 0.3), then answers with what it has; asks no credential helper (they may prompt), only REGLENS_USERNAME/REGLENS_PASSWORD and the config's credentials.`

  static override examples = [
    {
      description: 'What `reglens tags list localhost:5000/te<TAB>` offers',
      command: '<%= config.bin %> complete -- tags list localhost:5000/te',
    },
  ]

  static override args = {
    words: Args.string({description: 'The command line after `reglens`, after `--`; the last word is the one completed.'}),
  }

  async run(): Promise<void> {
    const request = completionRequest(this.positionals)
    let candidates: string[] = []
    if (request) {
      let config: Config
      try {
        config = request.kind === 'reference' && request.config ? loadConfig(request.config) : this.userConfig
      } catch {
        config = {registries: {}}
      }
      const credentials = new CredentialChain([envCredentials(), configCredentials(config)])
      candidates = await complete(request, {
        config,
        env: process.env,
        cache: new CompletionCache(join(cacheRoot(), 'completion')),
        budgetMs: registryBudgetMs(process.env),
        list: async (endpoint, repository) => {
          const client = await this.clientFor(endpoint, {authenticator: new ChallengeAuthenticator({endpoint, credentials})})
          const names: string[] = []
          for await (const name of repository ? listTags(client, repository) : listRepositories(client)) names.push(name)
          return names
        },
      })
    }
    // Past the deadline a request may still be on the wire: answer and leave without waiting for it.
    process.stdout.write(candidates.map((candidate) => `${candidate}\n`).join(''), () => process.exit(0))
  }
}
