import {expect} from 'chai'

import {defaultTagLookup} from '../../src/image/content-cache.js'

describe('tag lookup strategy', () => {
  it('HEADs tags on Docker Hub, where manifest GETs count against the pull rate limit', () => {
    expect(defaultTagLookup('registry-1.docker.io')).to.equal('head')
    expect(defaultTagLookup('docker.io')).to.equal('head')
    expect(defaultTagLookup('index.docker.io')).to.equal('head')
  })

  it('GETs tags everywhere else: one request brings digest and content', () => {
    expect(defaultTagLookup('ghcr.io')).to.equal('get')
    expect(defaultTagLookup('127.0.0.1:5000')).to.equal('get')
  })
})
