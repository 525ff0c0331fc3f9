import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, buildIndex, type BuiltImage, pushImage, pushIndex} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {openFile} from '../../src/devtools/chromium.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

const DAY = 86_400_000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString()
/** Incompressible layer content, so each layer has its own clear size. */
const noise = (bytes: number) => ({'data.bin': randomBytes(bytes)})
const bytesOf = (image: BuiltImage, which: 'config' | 'layers' | 'all' = 'all') => {
  const layers = image.layers.reduce((sum, layer) => sum + layer.bytes.length, 0)
  return which === 'config' ? image.config.bytes.length : which === 'layers' ? layers : layers + image.config.bytes.length
}

/** One line of the text exposition format: a HELP, a TYPE or a sample with escaped label values. */
const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$/
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|\+Inf|-Inf))$/

function parseExposition(text: string): Map<string, {labels: string; value: number}[]> {
  expect(text.endsWith('\n'), 'ends with a line feed').to.equal(true)
  const families = new Map<string, {labels: string; value: number}[]>()
  let current: string | undefined
  let typed = false
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line)
    const type = TYPE.exec(line)
    const sample = SAMPLE.exec(line)
    if (help) {
      expect(families.has(help[1]), `${help[1]} described twice`).to.equal(false)
      families.set(help[1], [])
      current = help[1]
      typed = false
    } else if (type) {
      expect(type[1], 'TYPE follows its HELP').to.equal(current)
      typed = true
    } else if (sample) {
      expect(sample[1], `sample ${line} belongs to the family above it`).to.equal(current)
      expect(typed, 'TYPE before samples').to.equal(true)
      families.get(current!)!.push({labels: sample[2] ?? '', value: Number(sample[3])})
    } else {
      expect.fail(`not a valid exposition line: ${JSON.stringify(line)}`)
    }
  }
  return families
}

describe('reglens report against the real registry', function () {
  this.timeout(180_000)
  const env = useRegistry()
  const work = mkdtempSync(join(tmpdir(), 'reglens-report-'))
  const images: Record<string, BuiltImage> = {}
  let baseSize = 0

  before(async function () {
    const base = noise(40_000)
    images.old = await buildImage({created: daysAgo(400), layers: [base, noise(20_000)]})
    images.current = await buildImage({created: daysAgo(1), layers: [base, noise(10_000)]})
    images.amd = await buildImage({created: daysAgo(60), layers: [noise(5_000)], platform: {os: 'linux', architecture: 'amd64'}})
    images.arm = await buildImage({
      created: daysAgo(60),
      layers: [noise(6_000)],
      platform: {os: 'linux', architecture: 'arm64', variant: 'v8'},
    })
    images.undated = await buildImage({created: null, layers: [base, noise(3_000)]})
    images.dangling = await buildImage({created: daysAgo(500), layers: [noise(7_000)]})
    baseSize = images.old.layers[0].bytes.length
    const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)
    await pushImage(env.client, repo('app/api'), images.old, 'v1')
    await pushImage(env.client, repo('app/api'), images.current, 'v2')
    await pushImage(env.client, repo('app/api'), images.current, 'latest')
    await pushImage(env.client, repo('app/api'), images.dangling)
    await pushImage(env.client, repo('app/web'), images.amd)
    await pushImage(env.client, repo('app/web'), images.arm)
    await pushIndex(env.client, repo('app/web'), await buildIndex([images.amd, images.arm]), '1.0')
    await pushImage(env.client, repo('misc/undated'), images.undated, 'x')
    writeFileSync(join(work, 'policy.yaml'), "rules:\n  - repositories: '^app/api$'\n    keep_last: 1\n")
  })

  it('--json and --prometheus give the sizes of repos list --size, the tags, images, shared bytes, ages, policy and untagged bytes', async () => {
    const prom = join(work, 'r.prom')
    const result = await runCli([
      'report',
      '-r',
      env.registry.host,
      '--json',
      '--prometheus',
      prom,
      '--policy',
      join(work, 'policy.yaml'),
      '--storage',
      env.registry.storageDir,
    ])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.match(/^wrote metrics to \S+r\.prom \(\d[\d.]* kB\)\n$/)
    const report = JSON.parse(result.stdout)
    const sizes = await runCli(['repos', 'list', '-r', env.registry.host, '--size', '--json'])
    const listed = JSON.parse(sizes.stdout)
    expect(report.totals.size).to.equal(listed.size)
    expect(report.totals.blobs).to.equal(listed.blobs)
    const bySize = Object.fromEntries(listed.repositories.map((r: {name: string; size: number; tags: number}) => [r.name, r]))
    for (const repository of report.repositories) {
      expect(repository.size, repository.name).to.equal(bySize[repository.name].size)
      expect(repository.tags, repository.name).to.equal(bySize[repository.name].tags)
    }
    expect(report.repositories.map((r: {name: string}) => r.name)).to.deep.equal(['app/api', 'misc/undated', 'app/web'])
    expect(report.totals).to.include({repositories: 3, tags: 5, images: 4, sharedSize: baseSize})
    expect(report.repositories.map((r: {images: number}) => r.images)).to.deep.equal([2, 1, 1])

    // Ages: the shared base layer is as young as the newest image using it (an undated one uses it too).
    const web = bytesOf(images.amd) + bytesOf(images.arm)
    expect(report.age.buckets).to.deep.equal([
      {olderThanDays: 30, size: bytesOf(images.old) - baseSize + web, blobs: 6},
      {olderThanDays: 90, size: bytesOf(images.old) - baseSize, blobs: 2},
      {olderThanDays: 365, size: bytesOf(images.old) - baseSize, blobs: 2},
    ])
    expect(report.age.undatedSize).to.equal(bytesOf(images.undated) - baseSize)

    // keep_last 1 deletes v1's image: its manifest, config and own layer go; the shared base stays.
    const api = report.repositories.find((r: {name: string}) => r.name === 'app/api')
    expect(api.reclaimable).to.equal(images.old.manifest.bytes.length + bytesOf(images.old) - baseSize)
    expect(report.repositories.find((r: {name: string}) => r.name === 'app/web').reclaimable).to.equal(null)
    expect(report.cleanup).to.include({reclaimable: api.reclaimable, deletedManifests: 1, deletedTags: 1})

    // Only the manifest pushed without a tag is untagged: the index's platforms are reached through its tag.
    expect(report.untagged.manifests).to.deep.equal([{repository: 'app/api', digest: images.dangling.manifest.digest}])
    expect(report.untagged.size).to.equal(images.dangling.manifest.bytes.length + bytesOf(images.dangling))
    expect(report.largestImages[0]).to.include({repository: 'app/api', digest: images.old.manifest.digest})
    expect(report.largestImages[0].tags).to.deep.equal(['v1'])

    const families = parseExposition(readFileSync(prom, 'utf8'))
    const label = (repository: string) => `{registry="${env.registry.host}",repository="${repository}"}`
    expect(families.get('reglens_registry_bytes')).to.deep.equal([{labels: `{registry="${env.registry.host}"}`, value: listed.size}])
    expect(families.get('reglens_repository_bytes')).to.have.deep.members(
      listed.repositories.map((r: {name: string; size: number}) => ({labels: label(r.name), value: r.size})),
    )
    expect(families.get('reglens_repository_tags')).to.have.deep.members([
      {labels: label('app/api'), value: 3},
      {labels: label('app/web'), value: 1},
      {labels: label('misc/undated'), value: 1},
    ])
    expect(families.get('reglens_repository_images')).to.have.deep.members([
      {labels: label('app/api'), value: 2},
      {labels: label('app/web'), value: 1},
      {labels: label('misc/undated'), value: 1},
    ])
    expect(families.get('reglens_repository_reclaimable_bytes')).to.deep.equal([{labels: label('app/api'), value: api.reclaimable}])
    const [stamp] = families.get('reglens_report_timestamp_seconds')!
    expect(stamp.value * 1000).to.be.closeTo(Date.parse(report.generatedAt), 1)
  })

  it('--html renders in headless Chromium from file://: every repository, no console errors, no requests, tables sort on click', async () => {
    const page = join(work, 'r.html')
    const result = await runCli(['report', '-r', env.registry.host, '--html', page, '--quiet'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('')
    const opened = await openFile(page)
    try {
      const screenshot = await opened.page.screenshot({fullPage: true, path: join(work, 'r.png')})
      expect(screenshot.subarray(1, 4).toString()).to.equal('PNG')
      expect(screenshot.length).to.be.greaterThan(20_000)
      const names = () => opened.page.$$eval('#repository-table tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent))
      expect(await names(), 'largest first without a click').to.deep.equal(['app/api', 'misc/undated', 'app/web'])
      expect(await opened.page.$$eval('svg.chart .bar', (bars) => bars.length)).to.equal(3)
      await opened.page.click('#repository-table th:first-child')
      expect(await names()).to.deep.equal(['misc/undated', 'app/web', 'app/api'])
      await opened.page.click('#repository-table th:first-child')
      expect(await names()).to.deep.equal(['app/api', 'app/web', 'misc/undated'])
      expect(opened.errors).to.deep.equal([])
      expect(opened.requests).to.deep.equal([])
    } finally {
      await opened.close()
    }
  })

  it('shows stored scan results per platform image, and --scan scans (and stores) what has none', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'reglens-report-cache-'))
    const withCache = {env: {XDG_CACHE_HOME: cache}}
    const before = JSON.parse(
      (await runCli(['report', '-r', env.registry.host, '--filter', '^misc/', '--json', '--quiet'], withCache)).stdout,
    )
    expect(before.images[0].scans).to.deep.equal([])
    const noDatabase = await runCli(
      ['report', '-r', env.registry.host, '--filter', '^misc/', '--scan', '--scanner', 'builtin', '--json'],
      withCache,
    )
    expect(noDatabase.code).to.equal(3)
    expect(noDatabase.stdout).to.equal('')
    expect((await runCli(['scan', 'db', 'update', '--dir', 'test/fixtures/osv', '--quiet'], withCache)).code).to.equal(0)
    const scanned = await runCli(
      ['report', '-r', env.registry.host, '--filter', '^misc/', '--scan', '--scanner', 'builtin', '--json', '--quiet'],
      withCache,
    )
    expect(scanned.code, scanned.stderr).to.equal(0)
    const [scan] = JSON.parse(scanned.stdout).images[0].scans
    expect(scan).to.include({platform: 'linux/amd64', imageDigest: images.undated.manifest.digest, scanner: 'builtin', total: 0})
    // Stored: the next report (without --scan) shows the same result.
    const stored = JSON.parse(
      (await runCli(['report', '-r', env.registry.host, '--filter', '^misc/', '--json', '--quiet'], withCache)).stdout,
    )
    expect(stored.images[0].scans).to.deep.equal([scan])
  })

  it('an empty registry gives a complete JSON document and a page', async () => {
    const result = await runCli([
      'report',
      '-r',
      env.registry.host,
      '--filter',
      '^nothing$',
      '--json',
      '--html',
      join(work, 'empty.html'),
      '--quiet',
    ])
    expect(result.code, result.stderr).to.equal(0)
    const report = JSON.parse(result.stdout)
    expect(report.totals).to.deep.equal({repositories: 0, tags: 0, images: 0, size: 0, blobs: 0, sharedSize: 0})
    expect(report.repositories).to.deep.equal([])
    expect(readFileSync(join(work, 'empty.html'), 'utf8')).to.include('No repositories.')
  })

  it('lists tagged referrers whose image is gone (cosign tag scheme), not those whose image is there', async () => {
    const repository = parseRepository(`${env.registry.host}/signed/app`)
    const image = await buildImage({created: daysAgo(2), layers: [noise(1_000)]})
    await pushImage(env.client, repository, image, 'v1')
    const signature = (payload: string) =>
      buildImage({
        created: null,
        configMediaType: 'application/vnd.oci.empty.v1+json',
        artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
        layers: [Buffer.from(payload)],
      })
    await pushImage(env.client, repository, await signature('kept'), `${image.manifest.digest.replace(':', '-')}.sig`)
    const gone = `sha256:${'ab'.repeat(32)}`
    const orphan = await signature('orphan')
    await pushImage(env.client, repository, orphan, `${gone.replace(':', '-')}.sig`)
    const result = await runCli(['report', '-r', env.registry.host, '--filter', '^signed/', '--json', '--quiet'])
    expect(result.code, result.stderr).to.equal(0)
    const report = JSON.parse(result.stdout)
    expect(report.orphanedReferrers).to.deep.equal([
      {
        repository: 'signed/app',
        tag: `${gone.replace(':', '-')}.sig`,
        digest: orphan.manifest.digest,
        subject: gone,
        size: orphan.config.bytes.length + orphan.layers[0].bytes.length,
      },
    ])
  })

  it('a missing policy file or an unwritable output is one line and exit 2', async () => {
    const policy = await runCli(['report', '-r', env.registry.host, '--policy', join(work, 'nope.yaml')])
    expect(policy.code).to.equal(2)
    expect(policy.stderr.trim().split('\n')).to.have.length(1)
    const output = await runCli(['report', '-r', env.registry.host, '--prometheus', join(work, 'no-such-dir', 'r.prom'), '--quiet'])
    expect(output.code).to.equal(2)
    expect(output.stderr).to.match(/^reglens: --prometheus .*no-such-dir\/r\.prom: cannot write \(ENOENT\)\n$/)
  })
})
