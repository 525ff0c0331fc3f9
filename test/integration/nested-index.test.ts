import {randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {type BuiltImage, type BuiltIndex, buildImage, buildIndex, buildNestedIndex, pushNestedIndex} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

/** Distinct blobs (config and layers) of the images, from the pushed bytes. */
function uniqueBytes(images: BuiltImage[]): number {
  const blobs = new Map<string, number>()
  for (const image of images) for (const part of [image.config, ...image.layers]) blobs.set(part.digest, part.bytes.length)
  return [...blobs.values()].reduce((sum, size) => sum + size, 0)
}

describe('an index of indexes against the real registry: inspect, size, tags --details, repos --size, gc-hint', function () {
  const env = useRegistry()
  let images: BuiltImage[]
  let inner: BuiltIndex[]
  const ref = () => `${env.registry.host}/nested/app:multi`

  before(async function () {
    this.timeout(60_000)
    const base = {'base.bin': randomBytes(20_000)}
    const build = (architecture: string, created: string) =>
      buildImage({platform: {os: 'linux', architecture}, created, layers: [base, {app: randomBytes(3000)}]})
    images = [
      await build('amd64', '2024-02-01T00:00:00Z'),
      await build('arm64', '2024-03-01T00:00:00Z'),
      await build('s390x', '2024-04-01T00:00:00Z'),
      await build('ppc64le', '2024-01-01T00:00:00Z'),
    ]
    inner = [await buildIndex([images[0], images[1]], {attestations: true}), await buildIndex([images[2]])]
    // Two levels: the outer index lists two indexes and one image directly.
    const outer = buildNestedIndex(inner, [images[3]])
    await pushNestedIndex(env.client, parseRepository(`${env.registry.host}/nested/app`), outer, inner, [images[3]], 'multi')
  })

  it('image inspect lists the platforms of every level (attestations never among them)', async () => {
    const result = await runCli(['image', 'inspect', ref(), '--json'])
    expect(result.stderr).to.equal('')
    expect(result.code).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.kind).to.equal('index')
    expect(doc.platforms.map((p: {digest: string}) => p.digest)).to.have.members(images.map((image) => image.manifest.digest))
    expect(doc.created).to.equal('2024-04-01T00:00:00Z')
    const arm = await runCli(['image', 'inspect', ref(), '--platform', 'linux/s390x', '--json'])
    expect(JSON.parse(arm.stdout).platforms.map((p: {digest: string}) => p.digest)).to.deep.equal([images[2].manifest.digest])
  })

  it('image size, tags list --details and repos list --size count the distinct blobs of every level', async () => {
    const expected = uniqueBytes(images)
    const size = await runCli(['image', 'size', ref(), '--json'])
    expect(size.code, size.stderr).to.equal(0)
    expect(JSON.parse(size.stdout).size).to.equal(expected)
    const tags = await runCli(['tags', 'list', `${env.registry.host}/nested/app`, '--details', '--json'])
    expect(tags.code, tags.stderr).to.equal(0)
    const row = JSON.parse(tags.stdout).tags.find((entry: {name: string}) => entry.name === 'multi')
    expect(row.size).to.equal(expected)
    expect(row.platforms).to.have.length(4)
    const repos = await runCli(['repos', 'list', '-r', env.registry.host, '--size', '--json'])
    expect(repos.code, repos.stderr).to.equal(0)
    expect(JSON.parse(repos.stdout).repositories.find((entry: {name: string}) => entry.name === 'nested/app').size).to.equal(expected)
  })

  it('gc-hint walks the nested indexes without error', async () => {
    const result = await runCli(['gc-hint', '-r', env.registry.host, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).hasIndexes).to.equal(true)
  })
})
