import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {renderReportHtml} from '../../src/output/report-html.js'
import type {Digest} from '../../src/registry/digest.js'
import type {ImageReport, RegistryReport} from '../../src/report/model.js'
import {openFile} from '../../src/devtools/chromium.js'

const HOSTILE = '<img src=x onerror="document.title=1">'
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}` as Digest

/** A synthetic report (strings a registry should never send, but a page must survive): 10,000 repositories. */
function bigReport(): RegistryReport {
  const repositories = Array.from({length: 10_000}, (_, i) => ({
    name: i === 0 ? `evil/${HOSTILE}` : `team-${i}/app`,
    tags: 3,
    images: 2,
    size: 10_000_000 - i,
    blobs: 4,
    reclaimable: null,
  }))
  const image: ImageReport = {
    repository: `evil/${HOSTILE}`,
    digest: digest(1),
    tags: ['</script><script>document.title=2</script>'],
    kind: 'image',
    created: null,
    size: 5,
    platforms: [{platform: 'linux/amd64', digest: digest(2)}],
    scans: [
      {
        platform: 'linux/amd64',
        imageDigest: digest(2),
        scanner: 'builtin',
        scannedAt: '2026-01-01T00:00:00Z',
        total: 3,
        critical: 1,
        high: 2,
        medium: 0,
        low: 0,
        unknown: 0,
        warnings: [HOSTILE],
      },
    ],
  }
  return {
    kind: 'reglens/report',
    version: 1,
    registry: `host"'&<b>`,
    generatedAt: '2026-06-01T00:00:00.000Z',
    totals: {repositories: repositories.length, tags: 30_000, images: 20_000, size: 1e11, blobs: 40_000, sharedSize: 1e9},
    repositories,
    age: {buckets: [{olderThanDays: 30, size: 1, blobs: 1}], undatedSize: 0},
    largestImages: [image],
    images: [image],
    orphanedReferrers: [
      {repository: `evil/${HOSTILE}`, tag: `sha256-${'0'.repeat(64)}.sig`, digest: digest(4), subject: digest(5), size: 7},
    ],
    untagged: {manifests: [{repository: `evil/${HOSTILE}`, digest: digest(3)}], size: 9},
    cleanup: {policy: `<policy>.yaml`, reclaimable: 1, deletedTags: 1, deletedManifests: 1, untaggedTags: 0},
    failed: [],
    warnings: [HOSTILE],
  }
}

describe('report page: untrusted strings, 10,000 repositories, light and dark (headless Chromium)', function () {
  this.timeout(120_000)
  const work = mkdtempSync(join(tmpdir(), 'reglens-report-page-'))
  const page = renderReportHtml(bigReport(), {top: 100})
  const path = join(work, 'big.html')
  writeFileSync(path, page)

  it('stays small: the top 100 repositories one by one, the other 9,900 summed in one row', () => {
    expect(Buffer.byteLength(page)).to.be.below(120_000)
    expect(page).to.include('9900 other repositories')
    expect(page).to.include('team-99/app')
    expect(page).to.not.include('team-100/app')
  })

  it('escapes every registry-provided string: nothing injected runs, loads or becomes an element', async () => {
    expect(page).to.not.include('<img')
    expect(page).to.not.include('<b>')
    expect(page).to.not.include('</script><script>document')
    const opened = await openFile(path)
    try {
      expect(await opened.page.title()).to.equal(`Registry report: host"'&<b>`)
      expect(await opened.page.$$eval('img', (found) => found.length)).to.equal(0)
      const firstRow = await opened.page.$eval('#repository-table tbody tr td', (cell) => cell.textContent)
      expect(firstRow).to.equal(`evil/${HOSTILE}`)
      expect(await opened.page.$$eval('#repository-table tbody tr', (rows) => rows.length)).to.equal(100)
      expect(await opened.page.textContent('body')).to.include('</script><script>document.title=2</script>')
      expect(opened.errors).to.deep.equal([])
      expect(opened.requests).to.deep.equal([])
    } finally {
      await opened.close()
    }
  })

  it('follows prefers-color-scheme: a dark background in dark mode, a light one otherwise', async () => {
    const background = async (colorScheme: 'light' | 'dark') => {
      const opened = await openFile(path, {colorScheme})
      try {
        return await opened.page.$eval('body', (body) => getComputedStyle(body).backgroundColor)
      } finally {
        await opened.close()
      }
    }
    expect(await background('light')).to.equal('rgb(255, 255, 255)')
    expect(await background('dark')).to.equal('rgb(18, 21, 28)')
  })
})
