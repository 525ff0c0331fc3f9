import {BaseCommand} from '../../../cli/base-command.js'
import {writeJson} from '../../../output/json.js'
import {renderDatabaseStatus} from '../../../output/database.js'
import {osvDirectory} from '../../../scan/paths.js'
import {readMeta} from '../../../scan/osv/store.js'

export default class ScanDbStatus extends BaseCommand<typeof ScanDbStatus> {
  static override description = 'Show the local OSV database: advisories and packages per ecosystem, when each was updated, and from where.'

  static override examples = [
    {description: 'What the builtin scanner knows', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Fail a script when the Debian data is older than a day',
      command: "<%= config.bin %> <%= command.id %> --json | jq -e '.ecosystems.Debian.updated | fromdate > now - 86400'",
    },
  ]

  async run(): Promise<void> {
    const directory = osvDirectory()
    const meta = await readMeta(directory)
    if (this.flags.json) writeJson(process.stdout, {directory, ecosystems: meta.ecosystems})
    else this.out(renderDatabaseStatus(directory, meta, this.stdoutChalk))
  }
}
