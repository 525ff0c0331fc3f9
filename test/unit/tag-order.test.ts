import {expect} from 'chai'

import {sortTags, tagVersion} from '../../src/registry/tag-order.js'

describe('tag ordering', () => {
  it('sorts by code point for name order', () => {
    expect(sortTags(['b', 'B', 'a10', 'a2'], 'name')).to.deep.equal(['B', 'a10', 'a2', 'b'])
  })

  it('sorts versions by semver precedence, prereleases before releases, then non-versions by name', () => {
    const tags = ['latest', '1.10.0', 'v1.2.0', '1.2.0-rc.1', '1.9', '2', 'dev', '1.2.0']
    expect(sortTags(tags, 'semver')).to.deep.equal(['1.2.0-rc.1', '1.2.0', 'v1.2.0', '1.9', '1.10.0', '2', 'dev', 'latest'])
  })

  it('reads short and v-prefixed versions, and not dates or words', () => {
    expect(tagVersion('v3')?.version).to.equal('3.0.0')
    expect(tagVersion('1.2')?.version).to.equal('1.2.0')
    expect(tagVersion('main')).to.equal(null)
    expect(tagVersion('2024-01-02')).to.equal(null)
  })
})
