import {expect} from 'chai'

import {fmt, median, medians, perSecond, ratio, round} from '../../bench/lib/stats.js'

describe('benchmark statistics', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([30, 10, 20])).to.equal(20)
    expect(median([40, 10, 30, 20])).to.equal(25)
  })

  it('ignores missing values in a median and gives NaN when none are left', () => {
    expect(median([Number.NaN, 5, 7, Number.NaN, 6])).to.equal(6)
    expect(Number.isNaN(median([]))).to.equal(true)
  })

  it('gives no ratio when a side is missing or the divisor is zero', () => {
    expect(ratio(3, 2)).to.equal(1.5)
    expect(Number.isNaN(ratio(3, 0))).to.equal(true)
    expect(Number.isNaN(ratio(Number.NaN, 2))).to.equal(true)
  })

  it('turns a count over milliseconds into a rate per second', () => {
    expect(perSecond(500, 250)).to.equal(2000)
  })

  it('summarizes rounds field by field, skipping fields that are not numbers', () => {
    expect(
      medians([
        {ms: 3, requests: 10, mode: 'a'},
        {ms: 1, requests: 10},
        {ms: 2, requests: 12},
      ]),
    ).to.deep.equal({ms: 2, requests: 10})
  })

  it('keeps NaN out of JSON and prints it as a dash', () => {
    expect(round(Number.NaN)).to.equal(null)
    expect(round(1.23456, 2)).to.equal(1.23)
    expect(fmt(Number.NaN)).to.equal('—')
    expect(fmt(1.234, ' s', 2)).to.equal('1.23 s')
  })
})
