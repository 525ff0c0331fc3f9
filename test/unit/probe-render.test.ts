import {expect} from 'chai'

import {renderProbe} from '../../src/output/probe.js'
import type {ProbeReport} from '../../src/registry/probe.js'

const report: ProbeReport = {
  registry: 'lab:5000',
  url: 'https://lab:5000',
  reachable: true,
  apiVersion: 'registry/2.0',
  auth: {method: 'bearer', realm: 'https://auth.lab/token', service: 'lab'},
  credentials: {source: 'docker config', username: 'ci', accepted: false, detail: null},
  deletion: {enabled: null, repository: 'reglens-probe/deletion-check', status: null, detail: 'no answer'},
  pullQuota: null,
}

describe('registry test rendering', () => {
  it('one padded line per check, rejected credentials in capitals', () => {
    expect(renderProbe(report).split('\n')).to.deep.equal([
      'registry     lab:5000 (https://lab:5000)',
      'reachable    yes',
      'api version  registry/2.0',
      'auth         bearer (realm https://auth.lab/token, service lab)',
      'credentials  REJECTED (docker config, user ci)',
      'deletion     unknown: no answer',
      'pull quota   none announced',
    ])
  })

  it('no credentials: why none were found, or that none were needed', () => {
    const none = {...report, auth: {method: 'none' as const, realm: null, service: null}}
    const found = (detail: string | null) => renderProbe({...none, credentials: {source: null, username: null, accepted: null, detail}})
    expect(found('no docker login for lab:5000')).to.contain('credentials  none found: no docker login for lab:5000')
    expect(found(null)).to.contain('auth         none\n').and.to.contain('credentials  none needed')
  })
})
