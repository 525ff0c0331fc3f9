import {expect} from 'chai'

import {type BuiltImage, buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {sizeRepositories, sizeRepository} from '../../src/image/repository-size.js'
import {parseRepository} from '../../src/registry/reference.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

const blobBytes = (image: BuiltImage) => [image.config, ...image.layers].map((part) => part.bytes.length)
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** `--verbose` request lines of a CLI run: every request sent, and those that fetched a blob (a config). */
function requestsOf(stderr: string): {all: string[]; blobGets: string[]} {
  const all = stderr.split('\n').filter((line) => /^\* (GET|HEAD) /.test(line))
  return {all, blobGets: all.filter((line) => line.startsWith('* GET ') && line.includes('/blobs/'))}
}

describe('sizes from the manifests alone (no image config unless the output shows a config-only field)', function () {
  const env = useRegistry()
  let single: {a: BuiltImage; c: BuiltImage}
  let multi: {amd: BuiltImage; arm: BuiltImage}

  before(async () => {
    const base = {'base.txt': Buffer.alloc(10_000, 1)}
    single = {
      a: await buildImage({format: 'docker', created: '2024-01-01T00:00:00Z', layers: [base, {a: 'a'}]}),
      c: await buildImage({format: 'docker', created: '2024-01-02T00:00:00Z', layers: [base, {c: 'cc'}]}),
    }
    const singleRepo = parseRepository(`${env.registry.host}/sizes/single`)
    await pushImage(env.client, singleRepo, single.a, 'a')
    await pushImage(env.client, singleRepo, single.a, 'b')
    await pushImage(env.client, singleRepo, single.c, 'c')
    multi = {
      amd: await buildImage({created: '2024-02-01T00:00:00Z', layers: [base, {amd: 'x'}]}),
      arm: await buildImage({
        platform: {os: 'linux', architecture: 'arm64', variant: 'v8'},
        created: '2024-02-02T00:00:00Z',
        layers: [base, {arm: 'y'}],
      }),
    }
    await pushIndex(
      env.client,
      parseRepository(`${env.registry.host}/sizes/multi`),
      await buildIndex([multi.amd, multi.arm], {attestations: true}),
      '1.0',
    )
  })

  it('sizeRepository sends the floor: the tag list, one GET per tag and one per platform manifest, no config', async () => {
    const before = {total: env.client.requests.total, head: env.client.requests.byMethod.get('HEAD') ?? 0}
    const cache = new ContentCache(env.client)
    const singleSize = await sizeRepository(cache, parseRepository(`${env.registry.host}/sizes/single`))
    const multiSize = await sizeRepository(cache, parseRepository(`${env.registry.host}/sizes/multi`))
    // 2 tag lists + 3 + 1 tag GETs + 2 platform manifests (attestations are never fetched).
    expect(env.client.requests.total - before.total).to.equal(2 + 4 + 2)
    expect((env.client.requests.byMethod.get('HEAD') ?? 0) - before.head).to.equal(0)
    const [baseLayer] = single.a.layers
    expect(singleSize.size).to.equal(sum(blobBytes(single.a)) + sum(blobBytes(single.c)) - baseLayer.bytes.length)
    expect(multiSize.size).to.equal(sum(blobBytes(multi.amd)) + sum(blobBytes(multi.arm)) - baseLayer.bytes.length)
  })

  it('sizeRepositories: each repository in the order named, the tags counted, shared base layers once in the registry total', async () => {
    const sized = sizeRepositories(new ContentCache(env.client), ['sizes/single', 'sizes/multi'])
    const names: string[] = []
    for await (const repository of sized.repositories) names.push(`${repository.name} ${repository.tags}`)
    expect(names).to.deep.equal(['sizes/single 3', 'sizes/multi 1'])
    expect(sized.tags).to.equal(4)
    const images = [single.a, single.c, multi.amd, multi.arm]
    expect(sized.registry.total).to.equal(sum(images.flatMap(blobBytes)) - 3 * single.a.layers[0].bytes.length)
  })

  it('repos list --size fetches no config blob and sends exactly the no-config floor', async () => {
    const result = await runCli(['repos', 'list', '--size', '--json', '--verbose', '--registry', env.registry.host])
    expect(result.code, result.stderr).to.equal(0)
    const {all, blobGets} = requestsOf(result.stderr)
    expect(blobGets).to.deep.equal([])
    // Catalog, then per repository: tag list, tag GETs, platform manifests (as above).
    expect(all).to.have.length(1 + 2 + 4 + 2)
    const sizes = JSON.parse(result.stdout) as {repositories: {name: string; size: number}[]}
    expect(sizes.repositories.map((repository) => repository.name)).to.deep.equal(['sizes/multi', 'sizes/single'])
  })

  it('image size --all-tags as a table fetches configs only where the platform is nowhere else (single-platform images)', async () => {
    const table = await runCli(['image', 'size', `${env.registry.host}/sizes/multi`, '--all-tags', '--verbose'])
    expect(table.code, table.stderr).to.equal(0)
    expect(requestsOf(table.stderr).blobGets).to.deep.equal([])
    expect(table.stdout).to.match(/linux\/arm64\/v8/)
    const singleTable = await runCli(['image', 'size', `${env.registry.host}/sizes/single`, '--all-tags', '--verbose'])
    expect(singleTable.code, singleTable.stderr).to.equal(0)
    // Two distinct images under three tags: two configs, each once; the platform column needs them.
    expect(requestsOf(singleTable.stderr).blobGets).to.have.length(2)
    expect(singleTable.stdout).to.match(/linux\/amd64/)
  })

  it('image size --all-tags --json carries created, so it fetches each distinct config once', async () => {
    const json = await runCli(['image', 'size', `${env.registry.host}/sizes/multi`, '--all-tags', '--json', '--verbose'])
    expect(json.code, json.stderr).to.equal(0)
    expect(requestsOf(json.stderr).blobGets).to.have.length(2)
    const document = JSON.parse(json.stdout) as {tags: {created: string | null}[]}
    expect(document.tags[0].created).to.equal('2024-02-02T00:00:00Z')
  })
})
