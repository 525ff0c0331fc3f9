import {randomBytes} from 'node:crypto'

import {expect} from 'chai'

import {type BuiltImage, type BuiltIndex, buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {ExitCode} from '../../src/errors.js'
import {pushManifest} from '../../src/registry/push.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

/** Expected sizes come from the pushed bytes, never from reglens: config plus every layer. */
function pushedSize(image: BuiltImage): number {
  return image.config.bytes.length + image.layers.reduce((sum, layer) => sum + layer.bytes.length, 0)
}

/** Distinct blobs (config and layers) of the images, each counted once. */
function uniqueBytes(images: BuiltImage[]): number {
  const blobs = new Map<string, number>()
  for (const image of images) for (const part of [image.config, ...image.layers]) blobs.set(part.digest, part.bytes.length)
  return [...blobs.values()].reduce((sum, size) => sum + size, 0)
}

interface PlatformJson {
  os: string
  architecture: string
  variant?: string
  digest: string
  size: number
  created?: string
}

describe('image inspect, image size, tags list --details, repos list --size against the real registry', function () {
  const env = useRegistry()
  /** Every image each repository holds (index children, never attestations), for expected totals. */
  const held = new Map<string, BuiltImage[]>()
  const refs: {ref: string; images: BuiltImage[]; digest: string}[] = []
  let index: BuiltIndex
  let dockerImage: BuiltImage
  let manyImages: BuiltImage[]
  const manyTags = Array.from({length: 250}, (_, n) => `t${String(n).padStart(3, '0')}`)

  const host = () => env.registry.host
  const hold = (repo: string, images: BuiltImage[]) => held.set(repo, [...(held.get(repo) ?? []), ...images])

  before(async function () {
    this.timeout(120_000)
    const client = env.client
    const base = {'base.bin': randomBytes(40_000)}

    dockerImage = await buildImage({
      format: 'docker',
      created: '2023-01-02T03:04:05Z',
      entrypoint: ['/usr/bin/app'],
      cmd: ['--serve'],
      env: ['PATH=/usr/bin', 'MODE=prod'],
      labels: {'org.opencontainers.image.source': 'https://example.com/app'},
      layers: [base, {app: randomBytes(12_345)}],
    })
    await pushImage(client, parseRepository(`${host()}/sizes/docker`), dockerImage, 'v1')
    hold('sizes/docker', [dockerImage])
    refs.push({ref: 'sizes/docker:v1', images: [dockerImage], digest: dockerImage.manifest.digest})

    const oci = await buildImage({created: null, layers: [{one: randomBytes(3000)}, {two: randomBytes(5000)}, {three: 'tiny'}]})
    await pushImage(client, parseRepository(`${host()}/sizes/oci`), oci, 'v1')
    hold('sizes/oci', [oci])
    refs.push({ref: 'sizes/oci:v1', images: [oci], digest: oci.manifest.digest})

    const amd = await buildImage({created: '2024-02-01T00:00:00Z', layers: [base, {amd: randomBytes(7000)}]})
    const arm = await buildImage({
      platform: {os: 'linux', architecture: 'arm64', variant: 'v8'},
      created: '2024-03-01T00:00:00Z',
      layers: [base, {arm: randomBytes(9000)}],
    })
    index = await buildIndex([amd, arm], {attestations: true})
    await pushIndex(client, parseRepository(`${host()}/team/app/api`), index, '1.0')
    hold('team/app/api', [amd, arm])
    refs.push({ref: 'team/app/api:1.0', images: [amd, arm], digest: index.manifest.digest})

    const listAmd = await buildImage({format: 'docker', layers: [{x: randomBytes(2222)}]})
    const listArm = await buildImage({
      format: 'docker',
      platform: {os: 'linux', architecture: 'arm', variant: 'v7'},
      layers: [{y: randomBytes(3333)}],
    })
    const list = await buildIndex([listAmd, listArm], {format: 'docker'})
    await pushIndex(client, parseRepository(`${host()}/sizes/list`), list, 'latest')
    hold('sizes/list', [listAmd, listArm])
    refs.push({ref: 'sizes/list:latest', images: [listAmd, listArm], digest: list.manifest.digest})

    const chart = await buildImage({configMediaType: 'application/vnd.cncf.helm.config.v1+json', layers: [randomBytes(1500)]})
    await pushImage(client, parseRepository(`${host()}/sizes/chart`), chart, '0.1.0')
    hold('sizes/chart', [chart])
    const signature = await buildImage({
      configMediaType: MediaType.ociEmpty,
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      layers: [randomBytes(800)],
    })
    await pushImage(client, parseRepository(`${host()}/sizes/chart`), signature, 'sig')
    hold('sizes/chart', [signature])

    // 250 tags over 5 images (3 single, 2 multi-platform) in one repository.
    const many = parseRepository(`${host()}/team/many`)
    const singles = await Promise.all(
      [0, 1, 2].map((n) => buildImage({created: `2024-0${n + 1}-01T00:00:00Z`, layers: [base, {n: randomBytes(1000 + n)}]})),
    )
    const multiChildren = await Promise.all(
      [3, 4].map((n) => buildImage({platform: {os: 'linux', architecture: 'arm64'}, created: null, layers: [{m: randomBytes(2000 + n)}]})),
    )
    const multis = await Promise.all(multiChildren.map((child, n) => buildIndex([singles[n], child], {attestations: n === 0})))
    for (const image of singles) await pushImage(client, many, image)
    for (const multi of multis) await pushIndex(client, many, multi)
    const targets = [...singles.map((image) => image.manifest), ...multis.map((multi) => multi.manifest)]
    manyImages = [...singles, ...multiChildren]
    for (const [n, tag] of manyTags.entries()) await pushManifest(client, many, tag, targets[n % 5].bytes, targets[n % 5].mediaType)
    hold('team/many', manyImages)
  })

  it('image size --json equals config + layers of the pushed blobs, to the byte, for every platform of every format', async () => {
    for (const {ref, images, digest} of refs) {
      const result = await runCli(['image', 'size', `${host()}/${ref}`, '--json'])
      expect(result.code, result.stderr).to.equal(0)
      const doc = JSON.parse(result.stdout) as {digest: string; platforms: PlatformJson[]; size: number}
      expect(doc.digest, ref).to.equal(digest)
      expect(
        doc.platforms.map((platform) => platform.size),
        ref,
      ).to.deep.equal(images.map(pushedSize))
      expect(
        doc.platforms.map((platform) => platform.digest),
        ref,
      ).to.deep.equal(images.map((image) => image.manifest.digest))
      expect(doc.size, ref).to.equal(uniqueBytes(images))
      expect(
        doc.platforms.some((platform) => platform.os === 'unknown'),
        ref,
      ).to.equal(false)
    }
  })

  it('image size --platform linux/arm64 selects linux/arm64/v8 and --bytes prints the exact integer', async () => {
    const arm = index.children[1]
    const result = await runCli(['image', 'size', `${host()}/team/app/api:1.0`, '--platform', 'linux/arm64', '--bytes'])
    expect(result.code, result.stderr).to.equal(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[1].split(/\s+/)).to.deep.equal(['linux/arm64/v8', `sha256:${arm.manifest.digest.slice(7, 19)}`, String(pushedSize(arm))])
  })

  it('image size prints SI units with a TOTAL of distinct blobs for several platforms', async () => {
    const result = await runCli(['image', 'size', `${host()}/team/app/api:1.0`])
    expect(result.code, result.stderr).to.equal(0)
    const shown = /TOTAL \(distinct blobs\)\s+(\d+(?:\.\d+)?) kB/.exec(result.stdout)
    expect(shown, result.stdout).to.not.equal(null)
    // kB is 1000 bytes, three significant digits.
    expect(Number(shown?.[1])).to.be.closeTo(uniqueBytes(index.children) / 1000, 0.1)
    expect(result.stdout).to.not.include('unknown')
  })

  it('a platform that is not there is one line listing the available ones, exit 8', async () => {
    const result = await runCli(['image', 'size', `${host()}/sizes/list:latest`, '--platform', 'linux/s390x'])
    expect(result.code).to.equal(ExitCode.notFound)
    expect(result.stdout).to.equal('')
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('no platform linux/s390x').and.to.contain('available: linux/amd64, linux/arm/v7')
  })

  it('an invalid --platform is a usage error before any request', async () => {
    const result = await runCli(['image', 'size', `${host()}/sizes/list:latest`, '--platform', 'linux'])
    expect(result.code).to.equal(ExitCode.usage)
    expect(result.stderr).to.contain('invalid platform "linux"')
  })

  it('image inspect --json shows the config (entrypoint, env, labels, history) and layers of a schema2 image', async () => {
    const result = await runCli(['image', 'inspect', `${host()}/sizes/docker:v1`, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.kind).to.equal('image')
    expect(doc.mediaType).to.equal(MediaType.dockerManifest)
    const [platform] = doc.platforms
    expect(platform.platform).to.deep.equal({os: 'linux', architecture: 'amd64'})
    expect(platform.image.entrypoint).to.deep.equal(['/usr/bin/app'])
    expect(platform.image.cmd).to.deep.equal(['--serve'])
    expect(platform.image.env).to.deep.equal(['PATH=/usr/bin', 'MODE=prod'])
    expect(platform.image.labels).to.deep.equal({'org.opencontainers.image.source': 'https://example.com/app'})
    expect(platform.image.created).to.equal('2023-01-02T03:04:05Z')
    expect(platform.image.history.map((entry: {layer?: string}) => entry.layer)).to.deep.equal(
      dockerImage.layers.map((layer) => layer.digest),
    )
    expect(platform.layers.map((layer: {digest: string; size: number}) => [layer.digest, layer.size])).to.deep.equal(
      dockerImage.layers.map((layer) => [layer.digest, layer.bytes.length]),
    )
    expect(platform.config.digest).to.equal(dockerImage.config.digest)
  })

  it('image inspect prints the config and layer table for one image, with the platform table for an index', async () => {
    const single = await runCli(['image', 'inspect', `${host()}/sizes/docker:v1`])
    expect(single.code, single.stderr).to.equal(0)
    expect(single.stdout).to.match(/Entrypoint\s+\["\/usr\/bin\/app"\]/)
    expect(single.stdout).to.match(/Env\s+PATH=\/usr\/bin\n\s+MODE=prod/)
    for (const layer of dockerImage.layers) expect(single.stdout).to.contain(layer.digest)
    const multi = await runCli(['image', 'inspect', `${host()}/team/app/api:1.0`])
    expect(multi.code, multi.stderr).to.equal(0)
    expect(multi.stdout)
      .to.match(/linux\/amd64\s+sha256:/)
      .and.to.match(/linux\/arm64\/v8\s+sha256:/)
    expect(multi.stdout).to.not.include('unknown')
  })

  it('attestations are skipped by default and listed with --show-attestations, never as platforms', async () => {
    const plain = JSON.parse((await runCli(['image', 'inspect', `${host()}/team/app/api:1.0`, '--json'])).stdout)
    expect(plain.attestations).to.deep.equal([])
    const shown = JSON.parse((await runCli(['image', 'inspect', `${host()}/team/app/api:1.0`, '--json', '--show-attestations'])).stdout)
    expect(shown.attestations.map((entry: {digest: string}) => entry.digest)).to.deep.equal(
      index.attestations.map((attestation) => attestation.manifest.digest),
    )
    expect(shown.platforms.map((platform: {digest: string}) => platform.digest)).to.deep.equal(
      index.children.map((child) => child.manifest.digest),
    )
  })

  it("image inspect --raw prints the manifest bytes exactly as pushed, the index or one platform's", async () => {
    const raw = await runCli(['image', 'inspect', `${host()}/team/app/api:1.0`, '--raw'])
    expect(raw.code, raw.stderr).to.equal(0)
    expect(raw.stdout).to.equal(index.manifest.bytes.toString('utf8'))
    const child = await runCli(['image', 'inspect', `${host()}/team/app/api:1.0`, '--raw', '--platform', 'linux/arm64/v8'])
    expect(child.stdout).to.equal(index.children[1].manifest.bytes.toString('utf8'))
  })

  it('OCI artifacts (a Helm chart config, an artifactType with the empty config) are artifacts with exact sizes', async () => {
    const [chart, signature] = held.get('sizes/chart') as BuiltImage[]
    const chartDoc = JSON.parse((await runCli(['image', 'inspect', `${host()}/sizes/chart:0.1.0`, '--json'])).stdout)
    expect(chartDoc.kind).to.equal('artifact')
    expect(chartDoc.artifactType).to.equal('application/vnd.cncf.helm.config.v1+json')
    expect(chartDoc.platforms).to.deep.equal([])
    expect(chartDoc.content.size).to.equal(pushedSize(chart))
    const sigSize = await runCli(['image', 'size', `${host()}/sizes/chart:sig`, '--json'])
    expect(sigSize.code, sigSize.stderr).to.equal(0)
    const sigDoc = JSON.parse(sigSize.stdout)
    expect(sigDoc.kind).to.equal('artifact')
    expect(sigDoc.artifactType).to.equal('application/vnd.dev.sigstore.bundle.v0.3+json')
    expect(sigDoc.size).to.equal(pushedSize(signature))
  })

  it("tags list --details on 250 tags GETs each tag once and every other distinct manifest and config once, with every platform's size", async function () {
    this.timeout(60_000)
    const result = await runCli(['tags', 'list', `${host()}/team/many`, '--details', '--json', '--verbose'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout) as {
      repository: string
      tags: {name: string; digest: string; created: string | null; platforms: PlatformJson[]}[]
    }
    expect(doc.tags.map((tag) => tag.name)).to.deep.equal(manyTags)
    const expected = (n: number) => (n % 5 < 3 ? [manyImages[n % 5]] : [manyImages[(n % 5) - 3], manyImages[n % 5]])
    expect(doc.tags.map((tag) => tag.platforms.map((platform) => platform.size))).to.deep.equal(
      manyTags.map((_, n) => expected(n).map(pushedSize)),
    )
    expect(doc.tags[0].created).to.equal('2024-01-01T00:00:00Z')
    const requests = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('* '))
      .map((line) => line.slice(2).split(' ').slice(0, 2))
    const count = (method: string, pattern: RegExp) => requests.filter(([m, url]) => m === method && pattern.test(url)).length
    const gets = requests.filter(([method]) => method === 'GET').map(([, url]) => url)
    // No URL fetched twice: every manifest and config digest once.
    expect(new Set(gets).size).to.equal(gets.length)
    // One GET per tag (digest and content at once), then only the 2 arm64 children by digest (the amd64
    // children are the single images, already brought by their tags), and 5 configs. No HEAD.
    expect(count('GET', /\/manifests\/t\d+$/)).to.equal(250)
    expect(count('GET', /\/manifests\/sha256:/)).to.equal(2)
    expect(count('GET', /\/blobs\/sha256:/)).to.equal(5)
    expect(requests.filter(([method]) => method === 'HEAD')).to.deep.equal([])
  })

  it('tags list --details prints one row per platform with the tag digest, created and size', async () => {
    const result = await runCli(['tags', 'list', `${host()}/team/many`, '--details', '--limit', '5', '--bytes'])
    expect(result.code, result.stderr).to.equal(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0].split(/\s+/)).to.deep.equal(['TAG', 'DIGEST', 'CREATED', 'PLATFORM', 'SIZE'])
    // t003 and t004 are multi-platform: two rows each.
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).to.deep.equal(['t000', 't001', 't002', 't003', 't003', 't004', 't004'])
    expect(lines[4].split(/\s+/).slice(3)).to.deep.equal(['linux/amd64', String(pushedSize(manyImages[0]))])
    expect(lines[5].split(/\s+/).slice(2)).to.deep.equal(['-', 'linux/arm64', String(pushedSize(manyImages[3]))])
  })

  it('image size --all-tags gives per-tag sizes and the repository total with shared layers once', async () => {
    const result = await runCli(['image', 'size', `${host()}/team/many`, '--all-tags', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout) as {tags: {name: string; size: number}[]; size: number}
    // Without a TTY there is no progress spinner: stderr stays empty.
    expect(result.stderr).to.equal('')
    expect(doc.tags).to.have.length(250)
    expect(doc.size).to.equal(uniqueBytes(manyImages))
    expect(doc.tags[3].size).to.equal(uniqueBytes([manyImages[0], manyImages[3]]))
  })

  it("repos list --size gives each repository's unique size and the registry-wide total, shared base layers once", async () => {
    const result = await runCli(['repos', 'list', '-r', host(), '--size', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout) as {registry: string; repositories: {name: string; tags: number; size: number}[]; size: number}
    expect(doc.repositories.map((repo) => repo.name).sort()).to.deep.equal([...held.keys()].sort())
    for (const repo of doc.repositories) expect(repo.size, repo.name).to.equal(uniqueBytes(held.get(repo.name) as BuiltImage[]))
    expect(doc.repositories.find((repo) => repo.name === 'team/many')?.tags).to.equal(250)
    expect(doc.size).to.equal(uniqueBytes([...held.values()].flat()))
    const table = await runCli(['repos', 'list', '-r', host(), '--size', '--bytes'])
    expect(table.stdout).to.match(new RegExp(`TOTAL \\(distinct blobs\\)\\s+${doc.size}\\n`))
  })

  it('a missing tag is one line with the not-found exit code', async () => {
    const result = await runCli(['image', 'inspect', `${host()}/sizes/docker:nope`])
    expect(result.code).to.equal(ExitCode.notFound)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('sizes/docker:nope not found')
    const digest = `sha256:${'0'.repeat(64)}`
    const byDigest = await runCli(['image', 'inspect', `${host()}/sizes/docker@${digest}`])
    expect(byDigest.code, byDigest.stderr).to.equal(ExitCode.notFound)
    expect(byDigest.stderr).to.contain(`sizes/docker@${digest} not found`)
  })
})
