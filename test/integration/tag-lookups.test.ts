import {expect} from 'chai'

import {buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {pushManifest} from '../../src/registry/push.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

describe('tags list lookups against the real registry: --sort created, --reverse, --digest', function () {
  const env = useRegistry()
  const repo = () => `${env.registry.host}/team/dated`
  const digests: Record<string, string> = {}

  before(async function () {
    this.timeout(60_000)
    const repository = parseRepository(repo())
    // Tag names ordered against their dates, so name order and date order differ.
    const dated = [
      {tag: 'a-oldest', created: '2021-03-01T00:00:00Z'},
      {tag: 'z-newest', created: '2024-06-01T00:00:00Z'},
      {tag: 'm-middle', created: '2023-01-15T12:00:00Z'},
    ]
    for (const {tag, created} of dated)
      digests[tag] = await pushImage(env.client, repository, await buildImage({created, layers: [{'f.txt': tag}]}), tag)
    digests['undated'] = await pushImage(
      env.client,
      repository,
      await buildImage({created: null, layers: [{'f.txt': 'undated'}]}),
      'undated',
    )
    // A second tag on the newest image, and a multi-platform index whose arm64 child is the target of --digest.
    await pushImage(env.client, repository, await buildImage({created: '2024-06-01T00:00:00Z', layers: [{'f.txt': 'z-newest'}]}), 'latest')
    const amd64 = await buildImage({created: '2022-05-05T00:00:00Z', layers: [{'f.txt': 'amd64'}]})
    const arm64 = await buildImage({
      created: '2022-05-05T00:00:00Z',
      platform: {os: 'linux', architecture: 'arm64'},
      layers: [{'f.txt': 'arm64'}],
    })
    const index = await buildIndex([amd64, arm64])
    digests['multi'] = await pushIndex(env.client, repository, index, 'multi')
    digests['arm64'] = arm64.manifest.digest
    await pushImage(env.client, repository, arm64, 'arm64-only')
    // An index listing that index (the OCI image spec allows nesting): its tag reaches arm64 through the inner index.
    const outer = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{mediaType: MediaType.ociIndex, digest: index.manifest.digest, size: index.manifest.bytes.length}],
      }),
    )
    digests['nested'] = await pushManifest(env.client, repository, 'nested', outer, MediaType.ociIndex)
  })

  it('--sort created --json lists the newest image first and undated tags last', async () => {
    const result = await runCli([
      'tags',
      'list',
      repo(),
      '--sort',
      'created',
      '--filter',
      '^(a-oldest|z-newest|m-middle|undated)$',
      '--json',
    ])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['z-newest', 'm-middle', 'a-oldest', 'undated'])
    expect(doc.tags[0].created).to.equal('2024-06-01T00:00:00Z')
    expect(doc.tags[3].created).to.equal(null)
  })

  it('--sort created --reverse puts the oldest first, undated still last; --limit cuts after sorting', async () => {
    const result = await runCli([
      'tags',
      'list',
      repo(),
      '--sort',
      'created',
      '--reverse',
      '--filter',
      '^(a-oldest|z-newest|m-middle|undated)$',
      '--limit',
      '2',
      '--json',
    ])
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['a-oldest', 'm-middle'])
    const all = await runCli(['tags', 'list', repo(), '--sort', 'created', '--reverse', '--filter', '^(a-oldest|undated)$', '--json'])
    expect(JSON.parse(all.stdout).tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['a-oldest', 'undated'])
  })

  it('--sort created prints a table with the creation times, newest first', async () => {
    const result = await runCli(['tags', 'list', repo(), '--sort', 'created', '--filter', '^(a-oldest|z-newest)$'])
    expect(result.code, result.stderr).to.equal(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).to.match(/^TAG\s+DIGEST\s+CREATED/)
    expect(lines[1]).to.match(/^z-newest .*2024-06-01/)
    expect(lines[2]).to.match(/^a-oldest .*2021-03-01/)
  })

  it('--reverse reverses name order', async () => {
    const result = await runCli(['tags', 'list', repo(), '--reverse', '--filter', '^(a-oldest|m-middle|z-newest)$', '--json'])
    expect(JSON.parse(result.stdout).tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['z-newest', 'm-middle', 'a-oldest'])
  })

  it('--digest lists the tags on an image and, with via, the tags of indexes listing it (nested too)', async () => {
    const result = await runCli(['tags', 'list', repo(), '--digest', digests['arm64'], '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.digest).to.equal(digests['arm64'])
    expect(doc.tags).to.deep.equal([
      {name: 'arm64-only', digest: digests['arm64'], via: null},
      {name: 'multi', digest: digests['multi'], via: digests['multi']},
      {name: 'nested', digest: digests['nested'], via: digests['multi']},
    ])
  })

  it('--digest of an image with two tags lists exactly those two; an unknown digest lists none, as valid JSON', async () => {
    const two = await runCli(['tags', 'list', repo(), '--digest', digests['z-newest'], '--json'])
    expect(JSON.parse(two.stdout).tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['latest', 'z-newest'])
    const none = await runCli(['tags', 'list', repo(), '--digest', `sha256:${'0'.repeat(64)}`, '--json'])
    expect(none.code).to.equal(0)
    expect(JSON.parse(none.stdout).tags).to.deep.equal([])
  })

  it('--digest with --verbose says what the lookup cost: one GET per tag plus one per child index', async () => {
    const result = await runCli(['tags', 'list', repo(), '--digest', digests['arm64'], '--verbose'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^TAG\s+DIGEST\s+VIA INDEX/)
    expect(result.stdout).to.contain('nested')
    // 8 tags → 8 GETs by tag, plus the tag list; the inner index usually comes with the tag `multi`
    // (one more GET when the tag `nested` is looked up first).
    const cost = /\* 127\.0\.0\.1:\d+: (\d+) requests \((.*)\)/.exec(result.stderr)
    expect(cost, result.stderr).to.not.equal(null)
    expect(cost![2]).to.match(/^\d+ GET$/)
    expect(Number(cost![1])).to.be.within(9, 10)
  })

  it('a malformed digest is a usage error (exit 2) before any request', async () => {
    const result = await runCli(['tags', 'list', repo(), '--digest', 'sha256:abc', '--verbose'])
    expect(result.code).to.equal(2)
    expect(result.stderr).to.contain('invalid digest')
    expect(result.stderr).to.not.contain('requests')
  })
})
