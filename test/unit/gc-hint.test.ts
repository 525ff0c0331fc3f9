import {expect} from 'chai'

import type {ApiHint} from '../../src/gc/api-hint.js'
import {DELETE_UNTAGGED_WARNING} from '../../src/gc/instructions.js'
import type {GcResult} from '../../src/gc/mark-sweep.js'
import {apiWarnings, storageWarnings} from '../../src/gc/warnings.js'
import {gcWarningText, renderApiHint, renderStorageHint} from '../../src/output/gc-hint.js'

const plain = {json: false, quiet: false, head: (text: string) => text}
const digest = (n: number) => `sha256:${String(n).repeat(64)}` as const

describe('gc-hint warnings as data', () => {
  it('over the API: disabled deletion, indexes and plan manifests already gone, in that order', () => {
    expect(apiWarnings({deletionEnabled: true, hasIndexes: false})).to.deep.equal([])
    expect(apiWarnings({deletionEnabled: false, hasIndexes: true, reclaimable: {unreadable: ['a', 'b']}})).to.deep.equal([
      {kind: 'deletionDisabled'},
      {kind: 'deleteUntaggedBreaksIndexes'},
      {kind: 'planManifestsGone', count: 2},
    ])
  })

  it('on the storage: broken indexes with delete-untagged; without it, the index risk and the untagged manifests kept', () => {
    const broken = {repository: 'app', index: digest(1), tags: ['1.0'], children: [digest(2)]}
    const result = {brokenIndexes: [broken], untagged: [{}, {}, {}]}
    expect(storageWarnings(result, {deleteUntagged: true, hasIndexes: true})).to.deep.equal([{kind: 'brokenIndex', index: broken}])
    expect(storageWarnings({brokenIndexes: [], untagged: [{}]}, {deleteUntagged: false, hasIndexes: true})).to.deep.equal([
      {kind: 'deleteUntaggedBreaksIndexes'},
      {kind: 'untaggedKept', count: 1},
    ])
  })

  it('worded for the CLI: a broken index by its tags, else by its digest', () => {
    const index = {repository: 'app', index: digest(1), tags: [], children: [digest(2), digest(3)]}
    expect(gcWarningText({kind: 'brokenIndex', index})).to.equal(
      `--delete-untagged breaks app:${digest(1)}: it deletes 2 of its platform manifests`,
    )
    expect(gcWarningText({kind: 'brokenIndex', index: {...index, tags: ['a', 'b']}})).to.contain('breaks app:a,b:')
    expect(gcWarningText({kind: 'deleteUntaggedBreaksIndexes'})).to.equal(DELETE_UNTAGGED_WARNING)
    expect(gcWarningText({kind: 'planManifestsGone', count: 4})).to.match(/^4 manifests of the plan are already gone/)
  })
})

describe('gc-hint rendering', () => {
  const hint: ApiHint = {
    registry: 'lab:5000',
    deletionEnabled: false,
    repositories: 1,
    hasIndexes: false,
    warnings: [{kind: 'deletionDisabled'}],
  }

  it('over the API without a plan: the deletion line, the --plan pointer, the recipes, and the warnings for stderr', () => {
    const report = renderApiHint(hint, undefined, plain)
    const lines = report.stdout.split('\n')
    expect(lines[0]).to.equal('deletion: DISABLED on lab:5000 (1 repository)')
    expect(lines[1]).to.match(/^pass --plan FILE/)
    expect(lines[2]).to.equal('')
    expect(lines[3]).to.match(/^run garbage collection \(dry run first/)
    expect(report.warnings).to.have.length(1)
    expect(report.warnings[0]).to.match(/^deletion is disabled/)
  })

  it('--quiet drops the recipes and the warnings; --json carries the warnings in the document only', () => {
    expect(renderApiHint(hint, undefined, {...plain, quiet: true})).to.deep.equal({
      stdout:
        'deletion: DISABLED on lab:5000 (1 repository)\npass --plan FILE to see what a cleanup frees; untagged leftovers are only visible on the host: gc-hint --storage DIR',
      warnings: [],
    })
    const json = renderApiHint(hint, 'plan.json', {...plain, json: true})
    expect(json.warnings).to.deep.equal([])
    const document = JSON.parse(json.stdout)
    expect(document).to.include({registry: 'lab:5000', plan: 'plan.json', reclaimable: null})
    expect(document.warnings).to.deep.equal([gcWarningText({kind: 'deletionDisabled'})])
  })

  it('on the storage: the blob table, the manifests, and the total', () => {
    const result: GcResult = {
      blobs: [{digest: digest(4), size: 1200, manifest: false}],
      manifests: [{repository: 'app', digest: digest(5)}],
      bytes: 1200,
      brokenIndexes: [],
      untagged: [],
    }
    const report = renderStorageHint({storage: '/srv', deleteUntagged: true, result, warnings: []}, {...plain, quiet: true})
    expect(report.stdout.split('\n')).to.deep.equal([
      `BLOB${' '.repeat(67)}  KIND  SIZE`,
      `${digest(4)}  blob  1200`,
      `manifest eligible for deletion: app@${digest(5)}`,
      'garbage-collect --delete-untagged would delete 1 blobs, 1.2 kB (1200 bytes)',
    ])
  })
})
