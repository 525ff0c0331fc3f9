import {expect} from 'chai'
import fc from 'fast-check'

import {compareRpm, formatRpmEvr, parseRpmEvr, rpmvercmp} from '../../../src/scan/versions/rpm.js'
import {rpmVercmpMany} from '../../helpers/rpm.js'

/** Pieces that meet at the tricky places of rpm's order: tilde, caret, leading zeros, letters vs digits, separators, epochs, releases. */
const PIECES = [
  '0',
  '00',
  '1',
  '01',
  '2',
  '9',
  '10',
  '100',
  'a',
  'b',
  'Z',
  'rc',
  'el9',
  'git',
  '~',
  '~~',
  '^',
  '.',
  '..',
  '-',
  '_',
  '+',
  ':',
  '1:',
  '2:',
  'a:',
]
const version = fc.array(fc.constantFrom(...PIECES), {minLength: 1, maxLength: 7}).map((parts) => parts.join(''))
/** Pairs sharing a prefix, so comparisons reach the ends of strings and the segment after a match. */
const pair = fc
  .tuple(fc.oneof(version, fc.constant('')), version, fc.oneof(version, fc.constant('')))
  .map(([prefix, a, b]): [string, string] => [prefix + a, prefix + b])
  .filter(([a, b]) => a !== '' && b !== '')

describe('rpm version order (rpmvercmp)', () => {
  it('agrees with the real rpm on 4,000 random pairs from a tricky alphabet', () => {
    const pairs = fc.sample(pair, {numRuns: 4000, seed: 16})
    const expected = rpmVercmpMany(pairs)
    const valid = expected.filter((value) => value !== undefined).length
    expect(valid, 'pairs rpm accepted').to.equal(pairs.length)
    const disagreements = pairs.flatMap(([a, b], index) =>
      Math.sign(compareRpm(a, b)) === expected[index] ? [] : [`${a} vs ${b}: rpm ${expected[index]}, ours ${compareRpm(a, b)}`],
    )
    expect(disagreements.slice(0, 10)).to.deep.equal([])
  })

  it('puts tilde before the end of the string and caret after it, both before a further segment', () => {
    const ascending = ['1.0~rc1', '1.0~rc2', '1.0', '1.0^git1', '1.0^git2', '1.0.1', '1.0a' /* letters < digits */]
    expect(rpmvercmp('1.0a', '1.0.1')).to.equal(-1)
    for (let i = 0; i + 1 < ascending.length - 1; i++)
      expect(rpmvercmp(ascending[i], ascending[i + 1]), `${ascending[i]} < ${ascending[i + 1]}`).to.equal(-1)
    expect(rpmvercmp('1.0~~', '1.0~')).to.equal(-1)
  })

  it('sorts a missing release before any release, even an empty or tilde one', () => {
    expect(compareRpm('1.0', '1.0-')).to.be.below(0)
    expect(compareRpm('1.0', '1.0-~')).to.be.below(0)
    expect(compareRpm('1.0-', '1.0-0')).to.be.below(0)
  })

  it('compares digit runs numerically, ignores separators, and lets the epoch dominate', () => {
    expect(rpmvercmp('1.010', '1.9')).to.equal(1)
    expect(rpmvercmp('1.01', '1.1')).to.equal(0)
    expect(rpmvercmp('1_0', '1.0')).to.equal(0)
    expect(compareRpm('1:1.0-1', '9.9-9')).to.be.above(0)
    expect(compareRpm('0:1.0-1', '1.0-1')).to.equal(0)
    expect(compareRpm('1.0-1.el9', '1.0-1.el9_2')).to.be.below(0)
  })

  it('splits epoch and release as rpm does, and prints them back', () => {
    expect(parseRpmEvr('2:1.2-3.el9')).to.deep.equal({epoch: '2', version: '1.2', release: '3.el9'})
    expect(parseRpmEvr('1.2')).to.deep.equal({version: '1.2'})
    expect(parseRpmEvr('a:1-2-3')).to.deep.equal({version: 'a:1-2', release: '3'})
    expect(formatRpmEvr({epoch: '1', version: '2.0', release: '4'})).to.equal('1:2.0-4')
    expect(formatRpmEvr({version: '2.0', release: '4'})).to.equal('2.0-4')
  })
})
