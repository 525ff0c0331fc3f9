import {expect} from 'chai'

import {escapeLabelValue, renderPrometheus} from '../../../src/output/prometheus.js'
import type {RegistryReport} from '../../../src/report/model.js'

function report(overrides: Partial<RegistryReport> = {}): RegistryReport {
  return {
    kind: 'reglens/report',
    version: 1,
    registry: '127.0.0.1:5000',
    generatedAt: '2026-06-01T00:00:00.000Z',
    totals: {repositories: 2, tags: 3, images: 2, size: 1500, blobs: 4, sharedSize: 100},
    repositories: [
      {name: 'team/app', tags: 2, images: 1, size: 1000, blobs: 2, reclaimable: 400},
      {name: 'we"ird\\name\nx', tags: 1, images: 1, size: 600, blobs: 2, reclaimable: null},
    ],
    age: {buckets: [{olderThanDays: 30, size: 10, blobs: 1}], undatedSize: 0},
    largestImages: [],
    images: [],
    untagged: null,
    orphanedReferrers: [],
    cleanup: null,
    failed: [],
    warnings: [],
    ...overrides,
  }
}

describe('Prometheus textfile of a report', () => {
  it('escapes backslash, double quote and line feed in label values, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd é')).to.equal('a\\\\b\\"c\\nd é')
  })

  it('gives every family one HELP and one TYPE line before its samples, and untrusted names cannot break a line', () => {
    const text = renderPrometheus(report())
    const lines = text.split('\n')
    expect(lines.at(-1)).to.equal('')
    expect(lines).to.include('reglens_repository_bytes{registry="127.0.0.1:5000",repository="we\\"ird\\\\name\\nx"} 600')
    expect(lines).to.include('reglens_report_timestamp_seconds{registry="127.0.0.1:5000"} 1780272000')
    expect(text).to.not.include('reglens_repository_reclaimable_bytes')
  })

  it('adds reclaimable bytes with a policy, only for repositories a rule matches', () => {
    const lines = renderPrometheus(
      report({cleanup: {policy: 'p.yaml', reclaimable: 400, deletedTags: 1, deletedManifests: 1, untaggedTags: 0}}),
    ).split('\n')
    expect(lines.filter((line) => line.startsWith('reglens_repository_reclaimable_bytes{'))).to.deep.equal([
      'reglens_repository_reclaimable_bytes{registry="127.0.0.1:5000",repository="team/app"} 400',
    ])
  })
})
