import {expect} from 'chai'

import {formatBytes, humanBytes} from '../../src/output/bytes.js'

describe('human byte units (SI: kB = 10^3, MB = 10^6, GB = 10^9)', () => {
  it('prints bytes below 1000 as B', () => {
    expect(humanBytes(0)).to.equal('0 B')
    expect(humanBytes(999)).to.equal('999 B')
  })

  it('uses powers of 1000, not 1024', () => {
    expect(humanBytes(1000)).to.equal('1 kB')
    expect(humanBytes(1024)).to.equal('1.02 kB')
    expect(humanBytes(1_000_000)).to.equal('1 MB')
    expect(humanBytes(1_048_576)).to.equal('1.05 MB')
    expect(humanBytes(29_000_000_000)).to.equal('29 GB')
  })

  it('keeps three significant digits', () => {
    expect(humanBytes(1337)).to.equal('1.34 kB')
    expect(humanBytes(123_456_789)).to.equal('123 MB')
  })

  it('prints the exact integer with exact: true (--bytes)', () => {
    expect(formatBytes(123_456_789, {exact: true})).to.equal('123456789')
    expect(formatBytes(123_456_789)).to.equal('123 MB')
  })
})
