import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../../cli/base-command.js'
import {UsageError} from '../../../errors.js'
import {writeJson} from '../../../output/json.js'
import {startProgress} from '../../../output/progress.js'
import {osvDirectory} from '../../../scan/paths.js'
import {DEFAULT_ECOSYSTEMS, DEFAULT_OSV_SOURCE, describeSkipped, importDirectory, updateDatabase} from '../../../scan/osv/update.js'
import {renderDatabaseStatus} from '../../../output/database.js'

export default class ScanDbUpdate extends BaseCommand<typeof ScanDbUpdate> {
  static override description = `Download (or import) the OSV vulnerability database the builtin scanner uses.

Fetches each ecosystem's all.zip from osv.dev (or --source, a mirror with the same layout: <source>/<ecosystem>/all.zip) into $XDG_CACHE_HOME/reglens/osv, replacing that ecosystem's data. --dir imports OSV JSON files (and zips) from a local directory instead, for machines without network access; advisories of ecosystems reglens cannot match are skipped and counted on stderr.`

  static override examples = [
    {description: 'Debian, Alpine, npm and PyPI advisories from osv.dev', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Advisories for Rocky Linux and RHEL (UBI) images',
      command: "<%= config.bin %> <%= command.id %> --ecosystems 'Rocky Linux,Red Hat'",
    },
    {
      description: 'Only Alpine, from an internal mirror',
      command: '<%= config.bin %> <%= command.id %> --ecosystems Alpine --source https://mirror.example.com/osv',
    },
    {description: 'Offline: import OSV files copied onto the machine', command: '<%= config.bin %> <%= command.id %> --dir ./osv-export'},
  ]

  static override flags = {
    ecosystems: Flags.string({
      description: `Comma-separated OSV ecosystems to download [default: ${DEFAULT_ECOSYSTEMS.join(',')}].`,
      exclusive: ['dir'],
    }),
    source: Flags.string({description: `Base URL serving <ecosystem>/all.zip [default: ${DEFAULT_OSV_SOURCE}].`, exclusive: ['dir']}),
    dir: Flags.string({description: 'Import OSV *.json / *.zip files from this directory instead of downloading.'}),
  }

  async run(): Promise<void> {
    const directory = osvDirectory()
    let meta
    if (this.flags.dir) {
      const imported = await importDirectory(directory, this.flags.dir)
      if (Object.keys(imported.skipped).length > 0 && !this.flags.quiet)
        this.warnLine(`skipped advisories of ecosystems reglens cannot match: ${describeSkipped(imported.skipped)}`)
      meta = {ecosystems: imported.ecosystems}
    } else {
      const ecosystems = this.flags.ecosystems
        ?.split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
      if (ecosystems && ecosystems.length === 0) throw new UsageError('--ecosystems: give at least one ecosystem, e.g. Debian,Alpine')
      if (this.flags.source && !/^https?:\/\//.test(this.flags.source))
        throw new UsageError(`--source: "${this.flags.source}" is not an http(s) URL`)
      const progress = startProgress('Updating the OSV database', {quiet: this.flags.quiet})
      try {
        meta = await updateDatabase(directory, {
          ...(ecosystems ? {ecosystems} : {}),
          ...(this.flags.source ? {source: this.flags.source} : {}),
          onProgress: ({ecosystem, phase, bytes, total}) =>
            progress.update(
              phase === 'download'
                ? `Downloading ${ecosystem}: ${(bytes / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`
                : `Importing ${ecosystem}: ${bytes} advisories`,
            ),
        })
      } finally {
        progress.stop()
      }
    }
    if (this.flags.json) writeJson(process.stdout, {directory, ecosystems: meta.ecosystems})
    else this.out(renderDatabaseStatus(directory, meta, this.stdoutChalk))
  }
}
