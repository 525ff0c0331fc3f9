import {expect} from 'chai'

import {suggestCommand} from '../../src/cli/hooks/command-not-found.js'

describe('"did you mean" for an unknown command', () => {
  const ids = ['tags:list', 'repos:list', 'image:inspect', 'image:size', 'registry:test', 'scan', 'scan:db:update']

  it('suggests the nearest command for a typo', () => {
    expect(suggestCommand('tags:lst', ids)).to.equal('tags:list')
    expect(suggestCommand('image:inspct', ids)).to.equal('image:inspect')
    expect(suggestCommand('scna', ids)).to.equal('scan')
  })

  it('suggests nothing when no command is close', () => {
    expect(suggestCommand('deploy:everything', ids)).to.equal(undefined)
    expect(suggestCommand('tags', [])).to.equal(undefined)
  })
})
