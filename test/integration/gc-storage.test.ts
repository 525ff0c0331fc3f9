import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {buildImage, buildIndex, buildNestedIndex, pushImage, pushIndex, pushNestedIndex} from '../../src/devtools/images.js'
import {pushReferrers} from '../../src/devtools/referrers.js'
import {REGISTRY_BINARY} from '../../src/devtools/registry-server.js'
import {simulateGc} from '../../src/gc/mark-sweep.js'
import {readStorage} from '../../src/gc/storage.js'
import {deleteManifest} from '../../src/registry/delete.js'
import {pushManifest} from '../../src/registry/push.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {parseRepository} from '../../src/registry/reference.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'
import {removeTag} from '../../src/cleanup/untag.js'

const run = promisify(execFile)

/** What the real `docker-registry garbage-collect --dry-run` says it would delete. */
async function realGc(configPath: string, deleteUntagged: boolean): Promise<{blobs: string[]; manifests: string[]}> {
  const {stdout, stderr} = await run(
    REGISTRY_BINARY,
    ['garbage-collect', '--dry-run', ...(deleteUntagged ? ['--delete-untagged'] : []), configPath],
    {maxBuffer: 64 * 1024 * 1024},
  )
  const text = stdout + stderr
  const pick = (label: string) =>
    [...text.matchAll(new RegExp(`${label} eligible for deletion: (sha256:[a-f0-9]{64})`, 'g'))].map((m) => m[1]).sort()
  return {blobs: pick('blob'), manifests: pick('manifest')}
}

describe('gc-hint --storage agrees blob-for-blob with the real garbage-collect --dry-run', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)

  before(async function () {
    this.timeout(60_000)
    const shared = {'base.txt': 'a layer several images share'}
    const a = await buildImage({layers: [shared, {'a.txt': 'a'}]})
    const b = await buildImage({layers: [shared, {'b.txt': 'b'}]})
    const c = await buildImage({layers: [{'c.txt': 'c'}]})
    const d = await buildImage({layers: [{'d.txt': 'd'}]})
    await pushImage(env.client, repo('gc/app'), a, 'a1')
    await pushImage(env.client, repo('gc/app'), a, 'a2')
    const bDigest = await pushImage(env.client, repo('gc/app'), b, 'b1')
    await deleteManifest(env.client, repo('gc/app'), bDigest)
    // Overwritten tag: c stays as an untagged revision.
    await pushImage(env.client, repo('gc/app'), c, 'latest')
    await pushImage(env.client, repo('gc/app'), d, 'latest')
    // The same image in another repository: its blobs are shared registry-wide.
    await pushImage(env.client, repo('gc/mirror'), a, 'a')
    // Multi-arch with attestations, and an index whose tag was moved away (untagged index + children).
    const arm = await buildImage({layers: [{'m.txt': 'arm'}], platform: {os: 'linux', architecture: 'arm64'}})
    const amd = await buildImage({layers: [{'m.txt': 'amd'}]})
    await pushIndex(env.client, repo('gc/multi'), await buildIndex([amd, arm], {attestations: true}), 'multi')
    const oldArm = await buildImage({layers: [{'m.txt': 'old arm'}], platform: {os: 'linux', architecture: 'arm64'}})
    const oldAmd = await buildImage({layers: [{'m.txt': 'old amd'}]})
    await pushIndex(env.client, repo('gc/multi'), await buildIndex([oldAmd, oldArm]), 'moving')
    await pushImage(env.client, repo('gc/multi'), await buildImage({layers: [{'m.txt': 'single'}]}), 'moving')
    // A tag removed through the placeholder fallback (2.8): leaves a deleted placeholder and the empty blob.
    await pushImage(env.client, repo('gc/untag'), await buildImage({layers: [{'u.txt': 'u'}]}), 'gone')
    await pushImage(env.client, repo('gc/untag'), await buildImage({layers: [{'u.txt': 'v'}]}), 'stays')
    await removeTag(env.client, repo('gc/untag'), 'gone')
    // Referrers as cosign and oras push them to 2.8: an image signed, attested and with an SBOM, then
    // its tag moved away (the referrer tags keep pointing at what refers to it).
    const signed = await buildImage({layers: [{'s.txt': 'signed'}]})
    const signedDigest = await pushImage(env.client, repo('gc/signed'), signed, 'v1')
    await pushReferrers(
      env.client,
      repo('gc/signed'),
      {digest: signedDigest, size: signed.manifest.bytes.length, mediaType: signed.manifest.mediaType},
      '2024-01-01T00:00:00Z',
    )
    await pushImage(env.client, repo('gc/signed'), await buildImage({layers: [{'s.txt': 'resigned'}]}), 'v1')
    // Nested indexes: one tagged, one whose tag moved (untagged, with its nested indexes and images).
    const nest = async (label: string) => {
      const images = await Promise.all(
        ['amd64', 'arm64'].map((architecture) =>
          buildImage({layers: [{'n.txt': `${label} ${architecture}`}], platform: {os: 'linux', architecture}}),
        ),
      )
      const inner = [await buildIndex([images[0]]), await buildIndex([images[1]])]
      await pushNestedIndex(env.client, repo('gc/nested'), buildNestedIndex(inner), inner, [], label)
    }
    await nest('kept')
    await nest('moved')
    await pushImage(env.client, repo('gc/nested'), await buildImage({layers: [{'n.txt': 'single'}]}), 'moved')
  })

  for (const deleteUntagged of [false, true]) {
    it(`same blobs${deleteUntagged ? ' and untagged manifests with --delete-untagged' : ''}`, async () => {
      const real = await realGc(env.registry.configPath, deleteUntagged)
      const simulated = simulateGc(await readStorage(env.registry.storageDir), {deleteUntagged})
      // Plain GC: the deleted image (3 blobs) and the untag placeholder; its empty config is the SBOM's too, so stays.
      expect(real.blobs.length, 'the scenario must leave garbage').to.be.greaterThan(deleteUntagged ? 8 : 3)
      expect(simulated.blobs.map((blob) => blob.digest).sort()).to.deep.equal(real.blobs)
      expect(simulated.manifests.map((m) => m.digest).sort()).to.deep.equal(real.manifests)
    })
  }

  it('flags the multi-arch indexes --delete-untagged breaks and prints exact bytes as JSON', async () => {
    const result = await runCli(['gc-hint', '--storage', env.registry.storageDir, '--delete-untagged', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    // The referrers tag schema's fallback index lists an untagged SBOM; a nested index lists untagged indexes: both break.
    const fallback = doc.brokenIndexes.find((b: {repository: string}) => b.repository === 'gc/signed')
    expect(fallback.tags[0]).to.match(/^sha256-[0-9a-f]{64}$/)
    expect(doc.brokenIndexes.map((b: {repository: string; tags: string[]}) => `${b.repository}:${b.tags.join(',')}`)).to.deep.equal([
      'gc/multi:multi',
      'gc/nested:kept',
      `gc/signed:${fallback.tags[0]}`,
    ])
    const real = await realGc(env.registry.configPath, true)
    expect(doc.reclaimable.blobs.map((b: {digest: string}) => b.digest).sort()).to.deep.equal(real.blobs)
    expect(doc.reclaimable.bytes).to.equal(doc.reclaimable.blobs.reduce((sum: number, b: {size: number}) => sum + b.size, 0))
    expect(doc.reclaimable.bytes).to.be.greaterThan(0)
  })

  it('an invalid storage path is one line with the usage exit code', async () => {
    const result = await runCli(['gc-hint', '--storage', '/nonexistent/registry'])
    expect(result.code).to.equal(2)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('no registry storage there')
  })
})

describe('an index entry with an empty platform object (accepted by the registry) is readable, collectable and deletable', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)

  it('gc-hint --storage agrees with the real garbage-collect, and image delete REPO@DIGEST removes the index', async function () {
    this.timeout(60_000)
    const child = await buildImage({layers: [{'p.txt': 'platform {}'}]})
    await pushImage(env.client, repo('gc/empty-platform'), child)
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{mediaType: child.manifest.mediaType, digest: child.manifest.digest, size: child.manifest.bytes.length, platform: {}}],
      }),
    )
    const digest = await pushManifest(env.client, repo('gc/empty-platform'), 'old', index, MediaType.ociIndex)
    await pushImage(env.client, repo('gc/empty-platform'), await buildImage({layers: [{'p.txt': 'newer'}]}), 'old')

    const hint = await runCli(['gc-hint', '--storage', env.registry.storageDir, '--json'])
    expect(hint.code, hint.stderr).to.equal(0)
    const real = await realGc(env.registry.configPath, false)
    expect(
      JSON.parse(hint.stdout)
        .reclaimable.blobs.map((b: {digest: string}) => b.digest)
        .sort(),
    ).to.deep.equal(real.blobs)

    const deleted = await runCli(['image', 'delete', `${env.registry.host}/gc/empty-platform@${digest}`, '--yes', '--json'])
    expect(deleted.code, deleted.stderr).to.equal(0)
    expect(
      JSON.parse(deleted.stdout).items.map((i: {digest: string; outcome: {status: string}}) => `${i.digest}:${i.outcome.status}`),
    ).to.include(`${digest}:deleted`)
  })
})
