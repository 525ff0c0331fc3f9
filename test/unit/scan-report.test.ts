import {expect} from 'chai'
import {Chalk} from 'chalk'

import {checkFailOn} from '../../src/cli/scan-gate.js'
import {renderScanReport} from '../../src/output/scan-report.js'
import {buildResult, type ScanDetail, type ScanResult} from '../../src/scan/report/result.js'

const layer = `sha256:${'1'.repeat(64)}`

function result(details: ScanDetail[], more: Partial<ScanResult> = {}): ScanResult {
  const head = {
    registry: 'lab:5000',
    repository: 'app',
    reference: '1.0',
    digest: `sha256:${'d'.repeat(64)}`,
    imageDigest: `sha256:${'e'.repeat(64)}`,
    platform: 'linux/amd64',
    scanner: 'builtin',
    scannedAt: '2026-01-02T03:04:05Z',
    warnings: ['no advisories for foo'],
    unchecked: [],
  }
  return {...buildResult(head, [layer], details), ...more}
}

const finding = (severity: ScanDetail['severity']): ScanDetail => ({
  id: `CVE-${severity}`,
  package: 'openssl',
  installedVersion: '1.0',
  fixedVersion: '1.1',
  severity,
  layer,
  title: 't',
  type: 'deb',
})

const options = {format: 'table' as const, quiet: false, chalk: new Chalk({level: 0}), version: '0.1.0'}

describe('scan report', () => {
  it('JSON: the document and the warnings for stderr; a cached result says so', () => {
    const scanned = result([finding('high')])
    const report = renderScanReport({result: scanned, fromCache: true}, {...options, format: 'json'})
    expect(JSON.parse(report.stdout)).to.deep.equal(scanned)
    expect(report.stdout.endsWith('}\n')).to.equal(true)
    expect(report.warnings).to.deep.equal(['no advisories for foo'])
    expect(report.notes).to.deep.equal(['(stored result from 2026-01-02T03:04:05Z; run without --cached to scan again)'])
    expect(report.closing).to.equal(undefined)
  })

  it('table: warnings stay in the table; nothing found closes with a line saying whether everything was checked', () => {
    const clean = renderScanReport({result: result([]), fromCache: false}, options)
    expect(clean.warnings).to.deep.equal([])
    expect(clean.closing).to.equal('No known vulnerabilities found.')
    const partly = result([], {unchecked: [{path: 'var/lib/rpm', layer, reason: 'unreadable'}]})
    expect(renderScanReport({result: partly, fromCache: false}, options).closing).to.equal(
      'No known vulnerabilities found in what could be checked.',
    )
    const quiet = renderScanReport({result: result([]), fromCache: true}, {...options, quiet: true})
    expect([quiet.notes, quiet.closing]).to.deep.equal([[], undefined])
  })

  it('SARIF names the tool version', () => {
    const report = renderScanReport({result: result([finding('low')]), fromCache: false}, {...options, format: 'sarif'})
    expect(JSON.parse(report.stdout).runs[0].tool.driver.version).to.equal('0.1.0')
  })
})

describe('scan --fail-on gate', () => {
  it('fails at or above the threshold, passes below it', () => {
    expect(() => checkFailOn(result([finding('medium')]), 'high', {allowUnchecked: false})).not.to.throw()
    expect(() => checkFailOn(result([finding('critical'), finding('high')]), 'high', {allowUnchecked: false})).to.throw(
      `2 vulnerabilities at or above high in lab:5000/app@sha256:${'e'.repeat(64)} (--fail-on high)`,
    )
  })

  it('fails closed on what was not checked, unless allowed', () => {
    const partly = result([], {unchecked: [{path: 'var/lib/rpm', layer, reason: 'unreadable'}]})
    expect(() => checkFailOn(partly, 'low', {allowUnchecked: false})).to.throw(/1 item in .* could not be checked/)
    expect(() => checkFailOn(partly, 'low', {allowUnchecked: true})).not.to.throw()
  })
})
