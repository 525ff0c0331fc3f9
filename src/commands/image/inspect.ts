import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {resolveReference} from '../../config/resolve.js'
import {ContentCache} from '../../image/content-cache.js'
import {rawManifest} from '../../image/describe.js'
import {inspectImage} from '../../image/inspect.js'
import {parsePlatformFilter} from '../../image/platform.js'
import {renderInspection} from '../../output/image.js'
import {writeJson} from '../../output/json.js'
import {manifestReference} from '../../registry/reference.js'

export default class ImageInspect extends BaseCommand<typeof ImageInspect> {
  static override description = `Show what an image is: digest, media type, platforms; for one image its config (created, entrypoint, env, labels, ports, history) and layers with exact sizes.

Attestation manifests (buildx SBOM/provenance, platform unknown/unknown) are not platforms: --show-attestations lists them. OCI artifacts (signatures, SBOMs, Helm charts) are shown as artifacts. Referrers of the image or its platforms (cosign signatures and attestations, SBOMs, OCI 1.1 artifacts with a subject) are listed with kind, tag, created and size, found through the OCI referrers API or, without it, the sha256-<hex> referrers tag and cosign's .sig/.att/.sbom tags. Indexes listing indexes are read at any depth (up to 8 levels). Sizes are compressed bytes as stored in the registry; kB/MB/GB are SI units (1 MB = 10^6 bytes). A --platform that matches nothing exits with code 8 and lists the available platforms.`

  static override examples = [
    {description: 'An image on a local registry', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0'},
    {
      description: 'One platform of a multi-platform image (linux/arm64 matches linux/arm64/v8)',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0 --platform linux/arm64',
    },
    {
      description: 'The manifest exactly as the registry serves it',
      command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0 --raw | sha256sum',
    },
    {
      description: 'The entrypoint of the amd64 image, for a script',
      command:
        "<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --platform linux/amd64 --json | jq -c '.platforms[0].image.entrypoint'",
    },
  ]

  static override args = {
    ref: Args.string({required: true, description: 'Image reference: [host[:port]/]path[:tag][@digest] (tag defaults to latest)'}),
  }

  static override flags = {
    platform: Flags.string({description: 'Only this platform of a multi-platform image: os/arch[/variant], e.g. linux/arm64.'}),
    raw: Flags.boolean({
      exclusive: ['json'],
      description: "Print the manifest bytes exactly as served (with --platform: that platform's manifest).",
    }),
    'show-attestations': Flags.boolean({description: 'Also list the attestation manifests of an index.'}),
    bytes: Flags.boolean({description: 'Print sizes as exact byte counts instead of SI units.'}),
  }

  async run(): Promise<void> {
    const platform = this.flags.platform === undefined ? undefined : parsePlatformFilter(this.flags.platform)
    const {endpoint, target} = resolveReference(this.args.ref, this.targetOptions())
    const cache = new ContentCache(await this.clientFor(endpoint), {concurrency: this.flags.concurrency})
    const reference = manifestReference(target)
    if (this.flags.raw) {
      process.stdout.write(await rawManifest(cache, target, reference, platform ? {platform} : {}))
      return
    }
    const inspection = await inspectImage(cache, target, reference, {
      ...(platform ? {platform} : {}),
      showAttestations: this.flags['show-attestations'],
    })
    if (this.flags.json) {
      writeJson(process.stdout, inspection)
      return
    }
    this.out(renderInspection(inspection, this.stdoutChalk, {exact: this.flags.bytes}))
    if (inspection.platforms.length > 1 && !this.flags.quiet)
      process.stderr.write("Use --platform os/arch to see one platform's config, layers and history.\n")
  }
}
