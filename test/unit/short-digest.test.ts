import {expect} from 'chai'

import {shortDigest} from '../../src/output/digest.js'

describe('short digests in tables', () => {
  const digest = `sha256:${'0123456789ab'}${'c'.repeat(52)}`

  it('keeps the algorithm and 12 hex digits, or the 12 digits alone', () => {
    expect(shortDigest(digest)).to.equal('sha256:0123456789ab')
    expect(shortDigest(digest, {withAlgorithm: false})).to.equal('0123456789ab')
    expect(shortDigest(`sha512:${'f'.repeat(128)}`)).to.equal(`sha512:${'f'.repeat(12)}`)
    expect(shortDigest('0123456789ab'.repeat(5))).to.equal('0123456789ab')
  })

  it('shows what is not a digest as it is', () => {
    expect(shortDigest('')).to.equal('')
    expect(shortDigest('not-a-digest')).to.equal('not-a-digest')
  })
})
