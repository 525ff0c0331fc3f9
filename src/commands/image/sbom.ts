import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveReference} from '../../config/resolve.js'
import {UsageError} from '../../errors.js'
import {ContentCache} from '../../image/content-cache.js'
import {parsePlatformFilter} from '../../image/platform.js'
import {writeJson} from '../../output/json.js'
import {startProgress} from '../../output/progress.js'
import {renderInventory} from '../../output/scan.js'
import {manifestReference} from '../../registry/reference.js'
// Imported up front although only --format cyclonedx uses it. Measured: without the library loaded,
// `image sbom` of a 260 MB layer took 4.4–5.2 s instead of 3.8 s, as V8, sizing its heap limits from a
// smaller start-up heap, ran ~50 full collections while the layer's buffers passed (2 with it). See
// docs/benchmarks.md, "Layer throughput".
import {toCycloneDx} from '../../scan/cyclonedx.js'
import {imageSbom} from '../../scan/sbom.js'

export default class ImageSbom extends BaseCommand<typeof ImageSbom> {
  static override description = `List the packages installed in an image (dpkg, apk, rpm, npm, Python, Go binaries), each with the layer that installed it.

Layers are streamed from the registry (never stored whole) and only package databases are read; files deleted by later layers (whiteouts) are honoured. --format cyclonedx prints a CycloneDX 1.5 JSON BOM.`

  static override examples = [
    {description: 'Packages of an image', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:1.0'},
    {
      description: 'Package URLs of the npm packages',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --json | jq -r \'.packages[] | select(.type == "npm") | .purl\'',
    },
    {
      description: 'A CycloneDX BOM of the arm64 image',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --platform linux/arm64 --format cyclonedx > bom.json',
    },
  ]

  static override args = {
    ref: Args.string({required: true, description: 'Image reference: [host[:port]/]path[:tag][@digest] (tag defaults to latest)'}),
  }

  static override flags = {
    platform: Flags.string({
      description: "Platform of a multi-platform image: os/arch[/variant] (default: the only one, else this machine's).",
    }),
    format: Flags.string({options: ['table', 'json', 'cyclonedx'], description: 'Output format [default: table, or json with --json].'}),
  }

  async run(): Promise<void> {
    if (this.flags.json && this.flags.format === 'table')
      throw new UsageError('--json and --format table ask for different outputs: give one of them')
    const platform = this.flags.platform === undefined ? undefined : parsePlatformFilter(this.flags.platform)
    const {endpoint, target} = resolveReference(this.args.ref, this.targetOptions())
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const progress = startProgress(`Reading layers of ${this.args.ref}`, {quiet: this.flags.quiet})
    let sbom
    try {
      sbom = await imageSbom(cache, target, manifestReference(target), platform ? {platform} : {})
    } finally {
      progress.stop()
    }
    // On stderr once, before the document (which also carries them), whatever the format.
    if (!this.flags.quiet) for (const warning of sbom.warnings) this.warnLine(warning)
    const format = this.flags.format ?? (this.flags.json ? 'json' : 'table')
    if (format === 'cyclonedx') this.out(toCycloneDx(sbom, this.config.version))
    else if (format === 'json') writeJson(process.stdout, sbom)
    else
      this.out(
        renderInventory(
          {...(sbom.distro ? {distro: sbom.distro} : {}), packages: sbom.packages, unchecked: sbom.unchecked},
          this.stdoutChalk,
        ),
      )
  }
}
