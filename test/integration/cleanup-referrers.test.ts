import {randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type PushedReferrer, pushReferrers} from '../../src/devtools/referrers.js'
import type {Digest} from '../../src/registry/digest.js'
import {headManifest} from '../../src/registry/manifests.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

/**
 * A signed repository on the real registry 2.8 (no referrers API): 6 images, each with a cosign
 * signature, a cosign attestation and an SPDX SBOM artifact (OCI 1.1 `subject`, fallback index tag),
 * pushed as cosign and oras push them.
 */
describe('cleanup of a signed repository against the real registry: referrers follow their image', function () {
  const env = useRegistry()
  const images: {tag: string; digest: Digest; referrers: PushedReferrer[]}[] = []

  async function seed(name: string): Promise<void> {
    const repository = parseRepository(`${env.registry.host}/${name}`)
    images.length = 0
    for (let n = 1; n <= 6; n++) {
      const built = await buildImage({created: `2025-01-0${n}T00:00:00Z`, layers: [{app: randomBytes(500)}]})
      const digest = await pushImage(env.client, repository, built, `v${n}`)
      images.push({
        tag: `v${n}`,
        digest,
        referrers: await pushReferrers(
          env.client,
          repository,
          {digest, size: built.manifest.bytes.length, mediaType: built.manifest.mediaType},
          `2025-01-0${n}T01:00:00Z`,
        ),
      })
    }
  }

  async function tagsOf(name: string): Promise<string[]> {
    const tags: string[] = []
    for await (const tag of listTags(env.client, parseRepository(`${env.registry.host}/${name}`))) tags.push(tag)
    return tags.sort()
  }

  const expectedTags = (kept: typeof images) =>
    kept
      .flatMap((image) => [image.tag, ...image.referrers.map((r) => r.tag)])
      .filter((tag, i, all) => all.indexOf(tag) === i)
      .sort()

  it('--keep-last 2 --yes leaves exactly the two newest images with all their signatures, attestations and SBOMs', async function () {
    this.timeout(120_000)
    await seed('signed/keep-last')
    const result = await runCli(['image', 'delete', `${env.registry.host}/signed/keep-last`, '--keep-last', '2', '--yes', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout) as {
      items: {tag: string | null; digest: string; action: string; reason: string; subject?: string; outcome: {status: string}}[]
    }
    expect(await tagsOf('signed/keep-last')).to.deep.equal(expectedTags(images.slice(4)))
    const repository = parseRepository(`${env.registry.host}/signed/keep-last`)
    for (const image of images.slice(4))
      for (const r of [image.digest, ...image.referrers.map((p) => p.digest)])
        expect(await headManifest(env.client, repository, r), r).to.not.equal(undefined)
    for (const image of images.slice(0, 4))
      for (const r of [image.digest, ...image.referrers.map((p) => p.digest)])
        expect(await headManifest(env.client, repository, r), r).to.equal(undefined)
    const sig = doc.items.find((i) => i.tag === images[0].referrers[0].tag)!
    expect(sig).to.include({action: 'delete', subject: images[0].digest, reason: `referrer of ${images[0].digest.slice(0, 19)}`})
    expect(sig.outcome.status).to.equal('deleted')
    // The SBOM has no tag: deleted by digest, after the fallback index listing it.
    expect(doc.items.find((i) => i.digest === images[0].referrers[2].digest && i.tag === null)?.outcome.status).to.equal('deleted')
  })

  it('--delete-undated never touches the referrers of a kept image', async function () {
    this.timeout(120_000)
    await seed('signed/undated')
    const result = await runCli([
      'image',
      'delete',
      `${env.registry.host}/signed/undated`,
      '--keep-last',
      '3',
      '--delete-undated',
      '--yes',
      '--json',
    ])
    expect(result.code, result.stderr).to.equal(0)
    expect(await tagsOf('signed/undated')).to.deep.equal(expectedTags(images.slice(3)))
  })

  it('orphans (subject already gone) are listed and kept, and deleted with --orphans', async function () {
    this.timeout(120_000)
    await seed('signed/orphans')
    const repository = parseRepository(`${env.registry.host}/signed/orphans`)
    // Delete image v1 alone, by digest, as a tool unaware of referrers would.
    const {deleteManifest} = await import('../../src/registry/delete.js')
    await deleteManifest(env.client, repository, images[0].digest)
    const dry = await runCli(['image', 'delete', `${env.registry.host}/signed/orphans`, '--keep-last', '10', '--dry-run', '--json'])
    expect(dry.code, dry.stderr).to.equal(0)
    const orphans = (JSON.parse(dry.stdout).items as {tag: string | null; action: string; reason: string}[]).filter((i) =>
      i.reason.startsWith('orphan referrer'),
    )
    expect(orphans.map((i) => i.tag).sort()).to.deep.equal(images[0].referrers.map((r) => r.tag).sort())
    for (const entry of orphans) expect(entry.action).to.equal('keep')
    const run = await runCli([
      'image',
      'delete',
      `${env.registry.host}/signed/orphans`,
      '--keep-last',
      '10',
      '--orphans',
      '--yes',
      '--json',
    ])
    expect(run.code, run.stderr).to.equal(0)
    expect(await tagsOf('signed/orphans')).to.deep.equal(expectedTags(images.slice(1)))
  })
})
