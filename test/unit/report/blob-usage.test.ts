import {expect} from 'chai'

import {BlobUsage} from '../../../src/report/blob-usage.js'
import type {Descriptor} from '../../../src/registry/types/manifest.js'

const blob = (name: string, size: number): Descriptor => ({
  mediaType: 'application/octet-stream',
  digest: `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0')}`,
  size,
})
const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T00:00:00Z')

describe('BlobUsage (shared bytes and age buckets of a report)', () => {
  it('counts a blob as shared only when a second repository uses it, and once however often', () => {
    const usage = new BlobUsage()
    usage.add('a', [blob('base', 1000), blob('a-layer', 10)], NOW)
    usage.add('a', [blob('base', 1000)], NOW)
    expect(usage.sharedSize).to.equal(0)
    usage.add('b', [blob('base', 1000), blob('b-layer', 20)], NOW)
    usage.add('c', [blob('base', 1000)], NOW)
    expect(usage.sharedSize).to.equal(1000)
  })

  it('ages a blob by its newest user: a base layer a new image still uses is not old', () => {
    const usage = new BlobUsage()
    usage.add('a', [blob('base', 1000), blob('old-layer', 100)], NOW - 400 * DAY)
    usage.add('a', [blob('base', 1000), blob('mid-layer', 10)], NOW - 100 * DAY)
    usage.add('b', [blob('new-layer', 1)], NOW - 1 * DAY)
    const {buckets, undatedSize} = usage.ageBuckets(NOW, [30, 90, 365])
    expect(buckets).to.deep.equal([
      {olderThanDays: 30, size: 1110, blobs: 3},
      {olderThanDays: 90, size: 1110, blobs: 3},
      {olderThanDays: 365, size: 100, blobs: 1},
    ])
    expect(undatedSize).to.equal(0)
  })

  it('never counts a blob an undated image uses as old; its age is unknown unless a young image uses it', () => {
    const usage = new BlobUsage()
    usage.add('a', [blob('shared-old', 50)], NOW - 400 * DAY)
    usage.add('a', [blob('shared-old', 50), blob('undated-only', 7)], undefined)
    usage.add('b', [blob('shared-young', 3)], undefined)
    usage.add('b', [blob('shared-young', 3)], NOW - DAY)
    const {buckets, undatedSize} = usage.ageBuckets(NOW, [30, 90, 365])
    expect(buckets.map((bucket) => bucket.size)).to.deep.equal([0, 0, 0])
    expect(undatedSize).to.equal(57)
  })
})
