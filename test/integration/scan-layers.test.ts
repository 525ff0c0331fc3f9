import {randomBytes} from 'node:crypto'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {expect} from 'chai'
import {pack} from 'tar-stream'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {parseRepository} from '../../src/registry/reference.js'
import {imageSbom} from '../../src/scan/sbom.js'
import {addFile, streamLayer} from '../helpers/big-layers.js'
import {peakRss} from '../helpers/peak-rss.js'
import {useRegistry} from '../helpers/registry.js'

/** A gzip'd tar whose first entry is `megabytes` of data deflate cannot shrink, then a package record. */
async function bigLayer(megabytes: number): Promise<Buffer> {
  // A random block larger than deflate's 32 KiB window, repeated: incompressible, and cheap to make.
  const block = randomBytes(1024 * 1024)
  const archive = pack()
  archive.entry(
    {name: 'opt/blob.bin', size: megabytes * block.length, mtime: new Date(0)},
    Buffer.concat(Array.from({length: megabytes}, () => block)),
  )
  archive.entry({name: 'usr/lib/python3/dist-packages/big-1.0.dist-info/METADATA', mtime: new Date(0)}, 'Name: big\nVersion: 1.0\n')
  archive.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of archive) chunks.push(chunk as Buffer)
  return gzipSync(Buffer.concat(chunks), {level: 1})
}

describe('layer streaming and the layer cache', function () {
  this.timeout(300_000)
  const env = useRegistry()
  let cache: string

  before(async () => {
    cache = await mkdtemp(join(tmpdir(), 'reglens-layers-test-'))
  })
  after(() => rm(cache, {recursive: true, force: true}))

  it('reads a layer shared by another image from the layer cache instead of downloading it again', async () => {
    const base = {'etc/os-release': 'ID=alpine\nVERSION_ID=3.19.0\n', 'lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\no:musl\n'}
    const first = await buildImage({layers: [base, {'app/one': '1'}]})
    const second = await buildImage({layers: [base, {'app/two': '2'}]})
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/one`), first, 'v1')
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/two`), second, 'v1')
    const seen: string[] = []
    const onLayer = (layer: {digest: string}, source: string) =>
      seen.push(`${layer.digest === first.layers[0].digest ? 'base' : 'own'} ${source}`)
    const sbom = await imageSbom(new ContentCache(env.client), parseRepository(`${env.registry.host}/layers/one`), 'v1', {
      cacheDirectory: cache,
      onLayer,
    })
    expect(sbom.packages.map((p) => p.name)).to.deep.equal(['musl'])
    expect(seen.sort()).to.deep.equal(['base registry', 'own registry'])
    seen.length = 0
    const again = await imageSbom(new ContentCache(env.client), parseRepository(`${env.registry.host}/layers/two`), 'v1', {
      cacheDirectory: cache,
      onLayer,
    })
    expect(again.packages.map((p) => [p.name, p.layer])).to.deep.equal([['musl', first.layers[0].digest]])
    expect(seen.sort()).to.deep.equal(['base cache', 'own registry'])
  })

  it('reads a layer listed twice in one image once', async () => {
    const empty = {'etc/os-release': 'ID=alpine\nVERSION_ID=3.19.0\n'}
    const image = await buildImage({layers: [empty, {'lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\no:musl\n'}, empty]})
    expect(image.layers[0].digest).to.equal(image.layers[2].digest)
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/twice`), image, 'v1')
    const seen: string[] = []
    const sbom = await imageSbom(new ContentCache(env.client), parseRepository(`${env.registry.host}/layers/twice`), 'v1', {
      cacheDirectory: await mkdtemp(join(cache, 'twice-')),
      onLayer: (layer, source) => seen.push(`${layer.digest} ${source}`),
    })
    expect(seen.sort()).to.deep.equal([`${image.layers[0].digest} registry`, `${image.layers[1].digest} registry`].sort())
    expect(sbom.distro?.id).to.equal('alpine')
    expect(sbom.packages.map((p) => `${p.name} ${p.layer}`)).to.deep.equal([`musl ${image.layers[1].digest}`])
  })

  it("lists the modules of a real Go binary (esbuild's) in a layer, with Go purls, and its Go version as stdlib", async () => {
    const binary = await readFile(createRequire(import.meta.url).resolve('@esbuild/linux-x64/bin/esbuild'))
    const layer = await streamLayer(async (archive) => {
      await new Promise<void>((resolve, reject) =>
        archive.entry({name: 'usr/local/bin/esbuild', mode: 0o755, mtime: new Date(0)}, binary, (error) =>
          error ? reject(error) : resolve(),
        ),
      )
      // The same bytes without the executable bit: not a program, not read.
      await addFile(archive, 'srv/esbuild.copy', binary)
    })
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/go`), await buildImage({layers: [layer]}), 'v1')
    const sbom = await imageSbom(new ContentCache(env.client), parseRepository(`${env.registry.host}/layers/go`), 'v1', {
      cacheDirectory: await mkdtemp(join(cache, 'go-')),
    })
    expect(sbom.packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.path} ${p.purl}`)).to.deep.equal([
      'golang github.com/evanw/esbuild (devel) usr/local/bin/esbuild pkg:golang/github.com/evanw/esbuild@(devel)',
      'golang golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 usr/local/bin/esbuild pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8',
      'golang stdlib 1.26.5 usr/local/bin/esbuild pkg:golang/stdlib@1.26.5',
    ])
    expect(sbom.unchecked).to.deep.equal([])
  })

  it('keeps memory flat on a 256 MB layer: peak RSS grows far less than the layer size', async () => {
    const big = await buildImage({layers: [await bigLayer(256)]})
    const small = await buildImage({layers: [{'usr/lib/python3/dist-packages/big-1.0.dist-info/METADATA': 'Name: big\nVersion: 1.0\n'}]})
    expect(big.layers[0].bytes.length).to.be.above(256 * 1024 * 1024)
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/big`), big, 'v1')
    await pushImage(env.client, parseRepository(`${env.registry.host}/layers/small`), small, 'v1')
    const xdg = {XDG_CACHE_HOME: await mkdtemp(join(tmpdir(), 'reglens-rss-'))}
    try {
      const baseline = await peakRss(['image', 'sbom', `${env.registry.host}/layers/small:v1`, '--json'], xdg)
      const measured = await peakRss(['image', 'sbom', `${env.registry.host}/layers/big:v1`, '--json'], xdg)
      expect(measured.code).to.equal(0)
      expect(JSON.parse(measured.stdout).packages.map((p: {name: string}) => p.name)).to.deep.equal(['big'])
      const growthMiB = (measured.kib - baseline.kib) / 1024
      expect(growthMiB, `baseline ${baseline.kib} KiB, 256 MB layer ${measured.kib} KiB`).to.be.below(64)
    } finally {
      await rm(xdg.XDG_CACHE_HOME, {recursive: true, force: true})
    }
  })
})
