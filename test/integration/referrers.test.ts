import {randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {type PushedReferrer, pushReferrers} from '../../src/devtools/referrers.js'
import type {Digest} from '../../src/registry/digest.js'
import {parseRepository} from '../../src/registry/reference.js'
import {RepositoryReferrers} from '../../src/registry/referrers.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

/**
 * Referrers on the real registry 2.8, which has no referrers API: pushed as cosign pushes signatures
 * and attestations (`.sig`/`.att` tags) and as oras pushes an OCI 1.1 artifact with a `subject`
 * (the referrers tag schema's fallback index `sha256-<hex>`).
 */
describe('referrers on the real registry (cosign tags and the referrers tag schema)', function () {
  const env = useRegistry()
  let image: Digest
  let pushed: PushedReferrer[]
  const name = 'signed/app'

  before(async function () {
    this.timeout(60_000)
    const repository = parseRepository(`${env.registry.host}/${name}`)
    const built = await buildImage({created: '2024-06-01T00:00:00Z', layers: [{app: randomBytes(2000)}]})
    image = await pushImage(env.client, repository, built, 'v1')
    pushed = await pushReferrers(
      env.client,
      repository,
      {digest: image, size: built.manifest.bytes.length, mediaType: built.manifest.mediaType},
      '2024-06-02T00:00:00Z',
    )
  })

  it('the registry client finds all three, says how, after one referrers API probe', async () => {
    const referrers = new RepositoryReferrers(env.client, parseRepository(`${env.registry.host}/${name}`))
    const before = env.client.requests.total
    const found = await referrers.of(image)
    expect(await referrers.method(image)).to.equal('referrers-tag')
    expect(found.map((r) => [r.digest, r.method]).sort()).to.deep.equal(
      pushed.map((p) => [p.digest, p.kind === 'sbom' ? 'referrers-tag' : 'cosign-tag']).sort(),
    )
    // One probe, one tag list, the fallback index, the two cosign manifests.
    expect(env.client.requests.total - before).to.equal(5)
    expect(await referrers.of(`sha256:${'0'.repeat(64)}`)).to.deep.equal([])
    expect(env.client.requests.total - before, 'no second probe for another subject').to.equal(5)
  })

  it('image inspect shows each referrer with kind, tag, created and size, in the table and --json', async () => {
    const json = await runCli(['image', 'inspect', `${env.registry.host}/${name}:v1`, '--json'])
    expect(json.code, json.stderr).to.equal(0)
    const doc = JSON.parse(json.stdout)
    const shown = doc.referrers.map((r: {kind: string; digest: string; tag: string; size: number; created: string; subject: string}) => [
      r.kind,
      r.digest,
      r.tag,
      r.size,
      r.created,
      r.subject,
    ])
    expect(shown).to.have.deep.members(pushed.map((p) => [p.kind, p.digest, p.tag, p.size, '2024-06-02T00:00:00Z', image]))
    expect(doc.platforms, 'referrers are never platforms').to.have.length(1)
    const types = Object.fromEntries(doc.referrers.map((r: {kind: string; artifactType: string}) => [r.kind, r.artifactType]))
    expect(types).to.deep.equal({
      signature: 'application/vnd.dev.cosign.simplesigning.v1+json',
      attestation: 'application/vnd.dsse.envelope.v1+json',
      sbom: 'application/spdx+json',
    })
    const table = await runCli(['image', 'inspect', `${env.registry.host}/${name}:v1`])
    expect(table.code).to.equal(0)
    for (const p of pushed)
      expect(table.stdout).to.match(new RegExp(`${p.kind}\\s+${p.digest}.*${p.kind === 'sbom' ? 'referrers-tag' : 'cosign-tag'}`))
  })

  it('--verbose says which method found the referrers of each manifest', async () => {
    const result = await runCli(['image', 'inspect', `${env.registry.host}/${name}:v1`, '--verbose'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain(`* referrers of ${name}@${image}: 2 via cosign-tag, 1 via referrers-tag`)
  })

  it('tags list hides referrer tags with a count on stderr; --show-referrers lists them with their subject', async () => {
    const plain = await runCli(['tags', 'list', `${env.registry.host}/${name}`, '--json'])
    expect(plain.code, plain.stderr).to.equal(0)
    expect(JSON.parse(plain.stdout).tags).to.deep.equal([{name: 'v1'}])
    expect(plain.stderr).to.contain('3 referrer tags (signatures, attestations, SBOMs) not shown; --show-referrers lists them')
    const all = await runCli(['tags', 'list', `${env.registry.host}/${name}`, '--show-referrers', '--json'])
    const rows = JSON.parse(all.stdout).tags as {name: string; subject?: string}[]
    expect(rows.find((row) => row.name === 'v1')).to.deep.equal({name: 'v1'})
    expect(
      rows
        .filter((row) => row.subject === image)
        .map((row) => row.name)
        .sort(),
    ).to.deep.equal([...new Set(pushed.map((p) => p.tag))].sort())
    const details = await runCli(['tags', 'list', `${env.registry.host}/${name}`, '--details', '--json'])
    expect(
      JSON.parse(details.stdout).tags.map((row: {name: string}) => row.name),
      'referrers are never counted as images',
    ).to.deep.equal(['v1'])
  })
})
