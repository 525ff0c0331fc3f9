import {expect} from 'chai'
import type {MockAgent} from 'undici'

import {ContentCache} from '../../src/image/content-cache.js'
import {describeImage} from '../../src/image/describe.js'
import {parsePlatformFilter} from '../../src/image/platform.js'
import {summarize} from '../../src/image/summary.js'
import type {RegistryClient} from '../../src/registry/client.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {mockRegistryClient} from '../helpers/mock-registry.js'

/** Registry 2.8 no longer accepts schema 1 pushes, so an old registry's answers are replayed with MockAgent. */
describe('Docker schema 1 manifests (read-only)', () => {
  const ORIGIN = 'http://old.test'
  const repo = parseRepository('old.test/legacy/app')
  const base = `sha256:${'a'.repeat(64)}`
  const top = `sha256:${'b'.repeat(64)}`
  const digest = `sha256:${'c'.repeat(64)}`
  // fsLayers newest first; the empty layer (base) appears twice, as schema 1 manifests do.
  const manifest = JSON.stringify({
    schemaVersion: 1,
    name: 'legacy/app',
    tag: 'v1',
    architecture: 'amd64',
    fsLayers: [{blobSum: top}, {blobSum: base}, {blobSum: base}],
    history: [
      {v1Compatibility: JSON.stringify({os: 'linux', created: '2016-05-04T03:02:01Z'})},
      {v1Compatibility: '{}'},
      {v1Compatibility: '{}'},
    ],
    signatures: [],
  })
  let agent: MockAgent
  let client: RegistryClient

  beforeEach(() => {
    ;({agent, client} = mockRegistryClient(ORIGIN))
    const pool = agent.get(ORIGIN)
    pool
      .intercept({path: '/v2/legacy/app/manifests/v1', method: 'GET'})
      .reply(200, manifest, {headers: {'content-type': MediaType.dockerManifestV1Signed, 'docker-content-digest': digest}})
    pool.intercept({path: `/v2/legacy/app/blobs/${base}`, method: 'HEAD'}).reply(200, '', {headers: {'content-length': '32'}})
    pool.intercept({path: `/v2/legacy/app/blobs/${top}`, method: 'HEAD'}).reply(200, '', {headers: {'content-length': '1000'}})
  })

  afterEach(async () => {
    await client.close()
  })

  it('is described with its platform, creation time and exact layer sizes from blob HEADs, each blob asked once', async () => {
    const described = await describeImage(new ContentCache(client), repo, 'v1')
    expect(described.kind).to.equal('schema1')
    expect(described.digest).to.equal(digest)
    expect(described.created).to.equal('2016-05-04T03:02:01Z')
    expect(described.content?.platform).to.deep.equal({os: 'linux', architecture: 'amd64'})
    expect(described.content?.layers.map((layer) => [layer.digest, layer.size])).to.deep.equal([
      [base, 32],
      [base, 32],
      [top, 1000],
    ])
    expect(described.content?.size).to.equal(1064)
    expect(described.size).to.equal(1032)
    // Each intercept answers once: a second HEAD of the repeated base layer would have failed the describe.
    agent.assertNoPendingInterceptors()
    expect(summarize(described).platforms).to.deep.equal([
      {os: 'linux', architecture: 'amd64', digest, size: 1064, created: '2016-05-04T03:02:01Z'},
    ])
  })

  it('a platform filter that does not match names the one platform it has', async () => {
    const error = await describeImage(new ContentCache(client), repo, 'v1', {platform: parsePlatformFilter('linux/arm64')}).catch(
      (caught: unknown) => caught,
    )
    expect((error as Error).message).to.equal('no platform linux/arm64 in old.test/legacy/app:v1; available: linux/amd64')
  })
})
