import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, type PrebuiltLayer, pushImage} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {addFile, addFilled, streamLayer} from '../helpers/big-layers.js'
import {type MeasuredRun, peakRss} from '../helpers/peak-rss.js'
import {useRegistry} from '../helpers/registry.js'

/** What `image sbom` of any layer must stay under (docs/scan.md): memory, and CPU time (wall time follows the machine's load). */
const MAX_RSS_MIB = 300
const MAX_CPU_SECONDS = 60

interface SbomJson {
  packages: {name: string}[]
  unchecked: {path: string; layer: string; reason: string}[]
  warnings: string[]
}

/**
 * Crafted layers (issue: 4.1 GB peak RSS and "Invalid string length" on 60 package.json files of
 * 31 MiB): each is pushed to the real registry and `image sbom` runs on it as a child process, its peak
 * RSS measured by GNU time. Every run must end in time, bounded, with exit 0 and what it skipped listed.
 */
describe('scanner bounds on crafted layers (real registry, peak RSS of the CLI)', function () {
  this.timeout(900_000)
  const env = useRegistry()
  let xdg: string

  before(async () => {
    xdg = await mkdtemp(join(tmpdir(), 'reglens-bounds-'))
  })
  after(() => rm(xdg, {recursive: true, force: true}))

  async function sbomOf(name: string, layers: PrebuiltLayer[]): Promise<{run: MeasuredRun; sbom: SbomJson}> {
    const image = await buildImage({layers})
    await pushImage(env.client, parseRepository(`${env.registry.host}/bounds/${name}`), image, 'v1')
    // A cache of its own per run: each measures a read from the registry.
    const run = await peakRss(['image', 'sbom', `${env.registry.host}/bounds/${name}:v1`, '--json'], {
      XDG_CACHE_HOME: await mkdtemp(join(xdg, `${name}-`)),
    })
    expect(run.code, run.stderr).to.equal(0)
    expect(run.kib / 1024, `peak RSS of image sbom on ${name}`).to.be.below(MAX_RSS_MIB)
    expect(run.cpuMs / 1000, `CPU seconds of image sbom on ${name}`).to.be.below(MAX_CPU_SECONDS)
    if (process.env.REGLENS_TEST_FIGURES)
      process.stderr.write(
        `${name}: ${Math.round(run.kib / 1024)} MiB peak, ${(run.cpuMs / 1000).toFixed(1)} s CPU, ${(run.ms / 1000).toFixed(1)} s wall\n`,
      )
    const sbom = JSON.parse(run.stdout) as SbomJson
    expect(sbom.warnings).to.have.length(sbom.unchecked.length)
    return {run, sbom}
  }

  it('stops reading a gzip bomb past its expansion bound, and says the rest was not read', async () => {
    const bomb = await streamLayer(
      async (archive) => {
        await addFile(archive, 'usr/lib/python3/dist-packages/before-1.0.dist-info/METADATA', 'Name: before\nVersion: 1.0\n')
        await addFilled(archive, 'opt/zeros', 1536 * 2 ** 20)
        await addFile(archive, 'usr/lib/python3/dist-packages/after-1.0.dist-info/METADATA', 'Name: after\nVersion: 1.0\n')
      },
      {level: 9},
    )
    expect(bomb.gzip.length).to.be.below(8 * 2 ** 20)
    const {sbom} = await sbomOf('bomb', [bomb])
    expect(sbom.packages.map((p) => p.name)).to.deep.equal(['before'])
    expect(sbom.unchecked).to.have.length(1)
    expect(sbom.unchecked[0].reason).to.match(
      /^it expands to more than \d+ MiB from \d+ MiB \(over 200×\): the rest of the layer was not read$/,
    )
  })

  it('keeps a bounded number of record files and whiteouts from a layer of a million entries', async () => {
    const million = await streamLayer(async (archive) => {
      for (let index = 0; index < 1_000_000; index++) {
        const name = index % 10 < 2 ? `gone/.wh.f${index}` : index % 10 === 2 ? `app/node_modules/p${index}/package.json` : `data/f${index}`
        await addFile(archive, name, index % 10 === 2 ? `{"name":"p${index}","version":"1.0.0"}` : '')
      }
    })
    const {sbom} = await sbomOf('million', [million])
    expect(sbom.packages).to.have.length(50_000)
    expect(sbom.unchecked.map((item) => item.reason).sort()).to.deep.equal([
      'it has more than 100000 whiteouts: the rest were not applied',
      'it has more than 50000 package record files: the rest were not read',
    ])
  })

  it('skips 60 package.json files of 31 MiB each with one line per file, and reads the small one', async () => {
    const padded = (index: number) => {
      const head = `{"name":"big-${index}","version":"1.0.0","description":"`
      return Buffer.concat([Buffer.from(head), Buffer.alloc(31 * 2 ** 20 - head.length - 2, 'a'), Buffer.from('"}')])
    }
    const layers: PrebuiltLayer[] = []
    for (let layer = 0; layer < 6; layer++) {
      layers.push(
        await streamLayer(async (archive) => {
          for (let index = layer * 10; index < layer * 10 + 10; index++)
            await addFile(archive, `app/node_modules/big-${index}/package.json`, padded(index))
          if (layer === 0) await addFile(archive, 'app/node_modules/small/package.json', '{"name":"small","version":"1.0.0"}')
        }),
      )
    }
    const {sbom} = await sbomOf('bigjson', layers)
    expect(sbom.packages.map((p) => p.name)).to.deep.equal(['small'])
    expect(sbom.unchecked).to.have.length(60)
    expect(new Set(sbom.unchecked.map((item) => item.reason))).to.deep.equal(new Set(['larger than 1 MiB, not read']))
    expect(sbom.warnings[0]).to.match(
      /^not checked: layer [0-9a-f]{12}: app\/node_modules\/big-0\/package.json: larger than 1 MiB, not read$/,
    )
  })

  it('reads many large lockfiles up to the package bound, then lists the rest as not read', async () => {
    const lockfile = (seed: number) => {
      const packages: Record<string, unknown> = {'': {name: 'app', version: '1.0.0'}}
      for (let index = 0; index < 40_000; index++) {
        packages[`node_modules/pkg-${seed}-${index}`] = {
          version: '1.0.0',
          resolved: `https://registry.npmjs.org/pkg-${seed}-${index}/-/pkg-${seed}-${index}-1.0.0.tgz`,
          integrity: `sha512-${'A'.repeat(86)}==`,
        }
      }
      return JSON.stringify({name: 'app', lockfileVersion: 3, packages})
    }
    const layers: PrebuiltLayer[] = []
    for (let layer = 0; layer < 3; layer++) {
      layers.push(
        await streamLayer(async (archive) => {
          for (let index = 0; index < 4; index++)
            await addFile(archive, `srv/app-${layer}-${index}/package-lock.json`, lockfile(layer * 4 + index))
        }),
      )
    }
    const {sbom} = await sbomOf('locks', layers)
    // One lockfile of the first layer fits in the 50,000 packages; the next three pass it, and the image-wide bound drops the later layers.
    expect(sbom.packages).to.have.length(40_000)
    expect(sbom.unchecked.filter((item) => item.path !== '').map((item) => `${item.path}: ${item.reason}`)).to.deep.equal(
      [1, 2, 3].map((index) => `srv/app-0-${index}/package-lock.json: past the 50000 packages read per layer, not read`),
    )
    expect(sbom.unchecked.filter((item) => item.path === '').map((item) => item.reason)).to.deep.equal([
      'the image holds more than 50000 packages: this layer was not read',
      'the image holds more than 50000 packages: this layer was not read',
    ])
  })
})
