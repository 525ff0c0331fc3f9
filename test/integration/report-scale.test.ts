import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'
import pLimit from 'p-limit'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {pushManifest} from '../../src/registry/push.js'
import {parseRepository} from '../../src/registry/reference.js'
import {openFile} from '../../src/devtools/chromium.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

const REPOSITORIES = 2000

describe(`reglens report over ${REPOSITORIES} repositories of the real registry`, function () {
  this.timeout(600_000)
  const env = useRegistry()
  const work = mkdtempSync(join(tmpdir(), 'reglens-report-scale-'))

  before(async function () {
    // Through the registry API, 16 at a time. 20 image variants of different sizes share a base layer;
    // repository i holds variant i % 20, its blobs mounted from the variant's first repository (one
    // request per blob instead of three), then its manifest pushed under a tag.
    const started = performance.now()
    const base = {'base.bin': randomBytes(2000)}
    const variants = await Promise.all(
      Array.from({length: 20}, (_, v) =>
        buildImage({created: new Date(Date.UTC(2025, 0, 1 + v)).toISOString(), layers: [base, {'own.bin': randomBytes(100 * (v + 1))}]}),
      ),
    )
    const name = (i: number) => `scale/repo-${String(i).padStart(4, '0')}`
    const repo = (i: number) => parseRepository(`${env.registry.host}/${name(i)}`)
    await Promise.all(variants.map((variant, v) => pushImage(env.client, repo(v), variant, 'latest')))
    const limit = pLimit(16)
    await Promise.all(
      Array.from({length: REPOSITORIES - variants.length}, (_, k) => k + variants.length).map((i) =>
        limit(async () => {
          const variant = variants[i % variants.length]
          for (const blob of [variant.config, ...variant.layers]) {
            const path = `/v2/${name(i)}/blobs/uploads/?mount=${blob.digest}&from=${name(i % variants.length)}`
            const mounted = await env.client.fetch({
              method: 'POST',
              path,
              scopes: [
                {type: 'repository', name: name(i), actions: ['pull', 'push']},
                {type: 'repository', name: name(i % variants.length), actions: ['pull']},
              ],
              subject: {action: 'mount blob', repository: name(i)},
              accept: (status) => status === 201,
            })
            await mounted.body.dump()
          }
          await pushManifest(env.client, repo(i), 'latest', variant.manifest.bytes, variant.manifest.mediaType)
        }),
      ),
    )
    process.stderr.write(
      `      seeded ${REPOSITORIES} repositories through the API in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    )
  })

  it('writes the page, the textfile and the JSON in one pass; bytes equal repos list --size; the page renders', async () => {
    const page = join(work, 'r.html')
    const prom = join(work, 'r.prom')
    const started = performance.now()
    const result = await runCli(['report', '-r', env.registry.host, '--html', page, '--prometheus', prom, '--json', '--quiet'])
    const seconds = (performance.now() - started) / 1000
    expect(result.code, result.stderr).to.equal(0)
    const report = JSON.parse(result.stdout)
    const listed = JSON.parse((await runCli(['repos', 'list', '-r', env.registry.host, '--size', '--json'])).stdout)
    expect(report.totals.repositories).to.equal(REPOSITORIES)
    expect(report.totals.size).to.equal(listed.size)
    const samples = readFileSync(prom, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('reglens_repository_bytes{'))
    expect(samples).to.have.length(REPOSITORIES)
    expect(new Set(samples)).to.deep.equal(
      new Set(
        listed.repositories.map(
          (r: {name: string; size: number}) => `reglens_repository_bytes{registry="${env.registry.host}",repository="${r.name}"} ${r.size}`,
        ),
      ),
    )
    const pageBytes = statSync(page).size
    expect(pageBytes).to.be.below(150_000)
    process.stderr.write(
      `      report over ${REPOSITORIES} repositories: ${seconds.toFixed(1)} s, page ${(pageBytes / 1000).toFixed(1)} kB, textfile ${(statSync(prom).size / 1000).toFixed(1)} kB\n`,
    )

    const opened = await openFile(page)
    try {
      expect(await opened.page.$$eval('#repository-table tbody tr', (rows) => rows.length)).to.equal(100)
      expect(await opened.page.textContent('#repository-table tfoot')).to.include(`${REPOSITORIES - 100} other repositories`)
      const largest = [...listed.repositories].sort(
        (a: {size: number; name: string}, b: {size: number; name: string}) => b.size - a.size || (a.name < b.name ? -1 : 1),
      )[0].name
      expect(await opened.page.$eval('#repository-table tbody td', (cell) => cell.textContent)).to.equal(largest)
      expect(opened.errors).to.deep.equal([])
      expect(opened.requests).to.deep.equal([])
    } finally {
      await opened.close()
    }
  })
})
