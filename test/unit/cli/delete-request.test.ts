import {expect} from 'chai'

import {type DeleteFlags, deleteRequest} from '../../../src/cli/delete-request.js'

const flags: DeleteFlags = {
  'delete-undated': false,
  orphans: false,
  'all-repos': false,
  'dry-run': false,
  yes: true,
  'whole-image': false,
  force: false,
  'ignore-missing': false,
  concurrency: 8,
  quiet: false,
  'password-stdin': false,
}

describe('image delete flags → request', () => {
  it('carries the targets and rules, and leaves out the options not given', () => {
    const request = deleteRequest({...flags, 'keep-last': 3, match: '^pr-', registry: 'lab'}, ['lab/app'])
    expect(request).to.include({registry: 'lab', dryRun: false, yes: true, allRepos: false, concurrency: 8})
    expect(request.targets).to.deep.equal(['lab/app'])
    expect(request.rules).to.include({keepLast: 3, match: '^pr-', deleteUndated: false})
    expect(request).not.to.have.any.keys('policy', 'repos', 'plan', 'savePlan')
  })

  it('--save-plan implies a dry run', () => {
    const request = deleteRequest({...flags, 'save-plan': 'plan.json'}, ['lab/app'])
    expect(request).to.include({savePlan: 'plan.json', dryRun: true})
  })
})
