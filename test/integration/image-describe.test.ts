import {createHash} from 'node:crypto'

import {expect} from 'chai'

import {type BuiltImage, buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {describeImage} from '../../src/image/describe.js'
import {parsePlatformFilter} from '../../src/image/platform.js'
import {ExitCode, ReglensError} from '../../src/errors.js'
import {pushManifest} from '../../src/registry/push.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

/** The expected size, from the pushed bytes themselves: config plus every layer. */
function pushedSize(image: BuiltImage): number {
  return image.config.bytes.length + image.layers.reduce((sum, layer) => sum + layer.bytes.length, 0)
}

describe('describeImage against the real registry', function () {
  const env = useRegistry()

  it('describes a Docker schema2 image: one platform from its config, exact size, creation time', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/docker`)
    const image = await buildImage({
      format: 'docker',
      platform: {os: 'linux', architecture: 'arm', variant: 'v7'},
      created: '2023-05-06T07:08:09Z',
      layers: [{a: 'alpha'}, {b: Buffer.alloc(50_000, 3)}],
    })
    await pushImage(env.client, repo, image, 'v1')
    const described = await describeImage(new ContentCache(env.client), repo, 'v1')
    expect(described.kind).to.equal('image')
    expect(described.digest).to.equal(image.manifest.digest)
    expect(described.mediaType).to.equal(MediaType.dockerManifest)
    expect(described.created).to.equal('2023-05-06T07:08:09Z')
    expect(described.platforms).to.have.length(1)
    expect(described.platforms[0].platform).to.deep.equal({os: 'linux', architecture: 'arm', variant: 'v7'})
    expect(described.platforms[0].size).to.equal(pushedSize(image))
    expect(described.size).to.equal(pushedSize(image))
  })

  it('lists every platform of an OCI index with exact sizes and never its attestations', async () => {
    const repo = parseRepository(`${env.registry.host}/team/app/api`)
    const shared = {'base.txt': Buffer.alloc(20_000, 1)}
    const amd = await buildImage({created: '2024-02-01T00:00:00Z', layers: [shared, {amd: 'x'}]})
    const arm = await buildImage({
      platform: {os: 'linux', architecture: 'arm64', variant: 'v8'},
      created: '2024-03-01T00:00:00Z',
      layers: [shared, {arm: 'yy'}],
    })
    const index = await buildIndex([amd, arm], {attestations: true})
    await pushIndex(env.client, repo, index, '1.0')
    const described = await describeImage(new ContentCache(env.client), repo, '1.0')
    expect(described.kind).to.equal('index')
    expect(described.platforms.map((entry) => `${entry.platform.os}/${entry.platform.architecture}`)).to.deep.equal([
      'linux/amd64',
      'linux/arm64',
    ])
    expect(described.platforms.map((entry) => entry.size)).to.deep.equal([pushedSize(amd), pushedSize(arm)])
    expect(described.platforms.map((entry) => entry.digest)).to.deep.equal([amd.manifest.digest, arm.manifest.digest])
    expect(described.attestations).to.deep.equal([])
    expect(described.created).to.equal('2024-03-01T00:00:00Z')
    // The shared base layer counts once in the index's total.
    expect(described.size).to.equal(pushedSize(amd) + pushedSize(arm) - amd.layers[0].bytes.length)
    const withAttestations = await describeImage(new ContentCache(env.client), repo, '1.0', {showAttestations: true})
    expect(withAttestations.attestations.map((entry) => entry.digest)).to.deep.equal(
      index.attestations.map((entry) => entry.manifest.digest),
    )
    expect(withAttestations.platforms).to.have.length(2)
  })

  it('selects one platform, linux/arm64 matching linux/arm64/v8, fetching only that child', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/list`)
    const amd = await buildImage({format: 'docker', layers: [{a: '1'}]})
    const arm = await buildImage({format: 'docker', platform: {os: 'linux', architecture: 'arm64', variant: 'v8'}, layers: [{b: '2'}]})
    await pushIndex(env.client, repo, await buildIndex([amd, arm], {format: 'docker'}), 'latest')
    const cache = new ContentCache(env.client)
    const before = env.client.requests.total
    const described = await describeImage(cache, repo, 'latest', {platform: parsePlatformFilter('linux/arm64')})
    expect(described.mediaType).to.equal(MediaType.dockerManifestList)
    expect(described.platforms.map((entry) => entry.digest)).to.deep.equal([arm.manifest.digest])
    expect(described.platforms[0].size).to.equal(pushedSize(arm))
    // index GET + child GET + config GET
    expect(env.client.requests.total - before).to.equal(3)
  })

  it('fails with the available platforms listed when none matches', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/list`)
    const failure = await describeImage(new ContentCache(env.client), repo, 'latest', {
      platform: parsePlatformFilter('windows/amd64'),
    }).catch((error: unknown) => error)
    expect(failure).to.be.instanceOf(ReglensError)
    expect((failure as ReglensError).kind).to.equal('notFound')
    expect((failure as ReglensError).message).to.contain('available: linux/amd64, linux/arm64/v8')
  })

  it('shows an OCI artifact with a non-image config as an artifact with its exact size', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/chart`)
    const chart = await buildImage({
      configMediaType: 'application/vnd.cncf.helm.config.v1+json',
      layers: [Buffer.from('not really a chart')],
    })
    await pushImage(env.client, repo, chart, '0.1.0')
    const described = await describeImage(new ContentCache(env.client), repo, '0.1.0')
    expect(described.kind).to.equal('artifact')
    expect(described.artifactType).to.equal('application/vnd.cncf.helm.config.v1+json')
    expect(described.platforms).to.deep.equal([])
    expect(described.content?.size).to.equal(pushedSize(chart))
  })

  it('an index entry without a platform that is an artifact is not a platform, and is listed apart with showAttestations', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/signed`)
    const image = await buildImage({layers: [{app: 'x'}]})
    const signature = await buildImage({
      configMediaType: MediaType.ociEmpty,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      layers: [Buffer.from('sig')],
    })
    await pushImage(env.client, repo, image)
    await pushImage(env.client, repo, signature)
    const entry = (built: typeof image, platform?: object) => ({
      mediaType: built.manifest.mediaType,
      digest: built.manifest.digest,
      size: built.manifest.bytes.length,
      ...(platform ? {platform} : {}),
    })
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [entry(image, {os: 'linux', architecture: 'amd64'}), entry(signature)],
      }),
    )
    await pushManifest(env.client, repo, 'v1', index, MediaType.ociIndex)
    const described = await describeImage(new ContentCache(env.client), repo, 'v1', {showAttestations: true})
    expect(described.platforms.map((platform) => platform.digest)).to.deep.equal([image.manifest.digest])
    expect(described.attestations.map((attestation) => attestation.digest)).to.deep.equal([signature.manifest.digest])
    expect(described.size).to.equal(pushedSize(image))
  })

  async function pushManyTags(name: string) {
    const repo = parseRepository(`${env.registry.host}/${name}`)
    const images = await Promise.all([0, 1, 2, 3, 4].map((n) => buildImage({layers: [{n: String(n)}]})))
    for (const image of images) await pushImage(env.client, repo, image)
    const tags = Array.from({length: 40}, (_, n) => `t${n}`)
    for (const [n, tag] of tags.entries()) {
      const image = images[n % 5]
      await env.client
        .fetch({
          method: 'PUT',
          path: `/v2/${repo.repository}/manifests/${tag}`,
          headers: {'content-type': image.manifest.mediaType},
          body: image.manifest.bytes,
          scopes: [],
          subject: {action: 'tag'},
        })
        .then((response) => response.body.dump())
    }
    return {repo, images, tags}
  }

  async function describeCounting(cache: ContentCache, {repo, images, tags}: Awaited<ReturnType<typeof pushManyTags>>) {
    const before = new Map(env.client.requests.byMethod)
    const described = await Promise.all(tags.map((tag) => describeImage(cache, repo, tag)))
    expect(described.map((entry) => entry.platforms[0].size)).to.deep.equal(tags.map((_, n) => pushedSize(images[n % 5])))
    return (method: string) => (env.client.requests.byMethod.get(method) ?? 0) - (before.get(method) ?? 0)
  }

  it('indexes nested deeper than 8 levels (which the registry accepts) are one line naming the reference once, in image inspect and tags list --details', async () => {
    const repo = parseRepository(`${env.registry.host}/describe/nested`)
    // Ten indexes, each listing the next: valid JSON the registry stores, but deeper than reglens walks.
    let inner = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: []}))
    let innerDigest = await pushManifest(
      env.client,
      repo,
      `sha256:${createHash('sha256').update(inner).digest('hex')}`,
      inner,
      MediaType.ociIndex,
    )
    for (let level = 0; level < 9; level++) {
      inner = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [{mediaType: MediaType.ociIndex, digest: innerDigest, size: inner.length}],
        }),
      )
      innerDigest = await pushManifest(
        env.client,
        repo,
        level === 8 ? 'v1' : `sha256:${createHash('sha256').update(inner).digest('hex')}`,
        inner,
        MediaType.ociIndex,
      )
    }
    const reference = `${env.registry.host}/describe/nested:v1`
    const once = (stderr: string) => {
      const line = stderr.split('\n').find((text) => text.includes('deeper than 8'))
      expect(line, stderr).to.match(/^reglens: .*deeper than 8 levels/)
      expect(line!.split(reference).length - 1, line).to.be.at.most(1)
    }
    const inspect = await runCli(['image', 'inspect', reference])
    expect(inspect.code, inspect.stderr).to.equal(ExitCode.badResponse)
    expect(inspect.stderr.trimEnd().split('\n'), inspect.stderr).to.have.length(1)
    once(inspect.stderr)
    const details = await runCli(['tags', 'list', `${env.registry.host}/describe/nested`, '--details'])
    expect(details.code, details.stderr).to.equal(ExitCode.partial)
    once(details.stderr)
  })

  it('by default GETs each tag once (digest and content in one request) and each distinct config once', async () => {
    const seeded = await pushManyTags('describe/many-get')
    const delta = await describeCounting(new ContentCache(env.client, {concurrency: 8}), seeded)
    expect(delta('HEAD')).to.equal(0)
    expect(delta('GET')).to.equal(40 + 5)
  })

  it('with tagLookup head, HEADs each tag and GETs each distinct manifest and config once', async () => {
    const seeded = await pushManyTags('describe/many-head')
    const delta = await describeCounting(new ContentCache(env.client, {concurrency: 8, tagLookup: 'head'}), seeded)
    // One GET for the first tag, one HEAD for each other tag; then one GET per distinct manifest and per distinct config.
    expect(delta('HEAD')).to.equal(39)
    expect(delta('GET')).to.equal(5 + 5)
  })
})
