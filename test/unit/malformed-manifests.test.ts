import {createHash} from 'node:crypto'

import {expect} from 'chai'
import type {MockAgent} from 'undici'

import {ReglensError} from '../../src/errors.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {describeImage} from '../../src/image/describe.js'
import type {RegistryClient} from '../../src/registry/client.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {mockRegistryClient} from '../helpers/mock-registry.js'

/** Faults a real registry will not produce: bodies that lie about their type or digest. */

const ORIGIN = 'http://registry.test'
const repo = parseRepository('registry.test/bad/app')
const sha = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

function imageManifest(config: Buffer, configMediaType: string = MediaType.ociConfig): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: {mediaType: configMediaType, digest: sha(config), size: config.length},
      layers: [],
    }),
  )
}

describe('malformed registry answers are one clear line each (undici MockAgent)', () => {
  let agent: MockAgent
  let client: RegistryClient

  beforeEach(() => {
    ;({agent, client} = mockRegistryClient(ORIGIN))
  })

  afterEach(async () => {
    await client.close()
  })

  const serveManifest = (reference: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    agent
      .get(ORIGIN)
      .intercept({path: `/v2/bad/app/manifests/${reference}`, method: 'GET'})
      .reply(200, body, {headers: {'content-type': MediaType.ociManifest, ...headers}})

  async function failure(reference: string): Promise<ReglensError> {
    const error = await describeImage(new ContentCache(client), repo, reference).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).to.be.instanceOf(ReglensError)
    expect((error as Error).message).to.not.include('\n')
    return error as ReglensError
  }

  it('a body that is not JSON', async () => {
    serveManifest('v1', '<html>oops</html>')
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.equal('invalid manifest registry.test/bad/app:v1: body is not JSON')
  })

  it('bytes that do not match the requested digest', async () => {
    const served = imageManifest(Buffer.from('{}'))
    const claimed = sha('something else')
    serveManifest(claimed, served)
    const error = await failure(claimed)
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.match(/failed verification: registry says sha256:[0-9a-f]{64}, content is sha256:[0-9a-f]{64}/)
  })

  it('bytes that do not match the Docker-Content-Digest of a tag', async () => {
    serveManifest('v1', imageManifest(Buffer.from('{}')), {'docker-content-digest': sha('other')})
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.contain('failed verification')
  })

  it('bytes that do not match a sha512 Docker-Content-Digest', async () => {
    serveManifest('v1', imageManifest(Buffer.from('{}')), {'docker-content-digest': `sha512:${'0'.repeat(128)}`})
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.match(/registry says sha512:0{128}, content is sha512:[0-9a-f]{128}$/)
  })

  it('a manifest media type reglens does not know', async () => {
    serveManifest('v1', JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.example.thing+json'}), {
      'content-type': 'application/vnd.example.thing+json',
    })
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.equal('invalid manifest registry.test/bad/app:v1: unknown media type "application/vnd.example.thing+json"')
  })

  it('a descriptor without a valid size', async () => {
    serveManifest(
      'v1',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: {mediaType: MediaType.ociConfig, digest: sha('{}'), size: -1},
        layers: [],
      }),
    )
    const error = await failure('v1')
    expect(error.message).to.match(/has no valid size/)
  })

  it('an image config that is not JSON', async () => {
    const config = Buffer.from('not json')
    serveManifest('v1', imageManifest(config))
    agent
      .get(ORIGIN)
      .intercept({path: `/v2/bad/app/blobs/${sha(config)}`, method: 'GET'})
      .reply(200, config)
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.match(/^invalid image config registry\.test\/bad\/app@sha256:[0-9a-f]{64}: body is not JSON$/)
  })

  it('an image config whose length contradicts its descriptor', async () => {
    const config = Buffer.from('{}')
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: {mediaType: MediaType.ociConfig, digest: sha(config), size: 99},
      layers: [],
    })
    serveManifest('v1', manifest)
    agent
      .get(ORIGIN)
      .intercept({path: `/v2/bad/app/blobs/${sha(config)}`, method: 'GET'})
      .reply(200, config)
    const error = await failure('v1')
    expect(error.message).to.match(/is 2 bytes where its manifest says 99/)
  })

  it('an index nesting indexes deeper than 8 levels is one bad-response line, not a hang', async () => {
    // Ten levels: each index lists the next; the innermost is empty.
    let inner = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: []}))
    for (let level = 0; level < 10; level++) {
      serveManifest(sha(inner), inner, {'content-type': MediaType.ociIndex})
      inner = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [{mediaType: MediaType.ociIndex, digest: sha(inner), size: inner.length}],
        }),
      )
    }
    serveManifest('v1', inner, {'content-type': MediaType.ociIndex})
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.match(/^index sha256:[0-9a-f]{64} nests indexes deeper than 8 levels/)
  })

  it('an index entry declared as an image that turns out to be an index', async () => {
    const inner = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: []}))
    const outer = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {mediaType: MediaType.ociManifest, digest: sha(inner), size: inner.length, platform: {os: 'linux', architecture: 'amd64'}},
      ],
    })
    serveManifest('v1', outer, {'content-type': MediaType.ociIndex})
    serveManifest(sha(inner), inner, {'content-type': MediaType.ociIndex})
    const error = await failure('v1')
    expect(error.kind).to.equal('badResponse')
    expect(error.message).to.contain('is an index where its entry declares an image')
  })

  it('a GET that misses a tag is not found, exit code 8', async () => {
    agent
      .get(ORIGIN)
      .intercept({path: '/v2/bad/app/manifests/gone', method: 'GET'})
      .reply(404, JSON.stringify({errors: [{code: 'MANIFEST_UNKNOWN', message: 'manifest unknown'}]}))
    const error = await describeImage(new ContentCache(client), repo, 'gone').catch((caught: unknown) => caught)
    expect((error as ReglensError).kind).to.equal('notFound')
    expect((error as ReglensError).exitCode).to.equal(8)
  })

  it('with tagLookup head, a HEAD that misses a tag is not found, exit code 8', async () => {
    const cache = new ContentCache(client, {tagLookup: 'head'})
    const config = Buffer.from(JSON.stringify({os: 'linux', architecture: 'amd64'}))
    serveManifest('v1', imageManifest(config))
    agent
      .get(ORIGIN)
      .intercept({path: `/v2/bad/app/blobs/${sha(config)}`, method: 'GET'})
      .reply(200, config)
    await describeImage(cache, repo, 'v1')
    // With tagLookup head, the second tag of a run is resolved with HEAD.
    agent.get(ORIGIN).intercept({path: '/v2/bad/app/manifests/gone', method: 'HEAD'}).reply(404, '')
    const error = await describeImage(cache, repo, 'gone').catch((caught: unknown) => caught)
    expect((error as ReglensError).kind).to.equal('notFound')
    expect((error as ReglensError).exitCode).to.equal(8)
    expect((error as Error).message).to.equal('registry.test/bad/app:gone not found')
  })
})
