import {expect} from 'chai'

import {mapOrdered} from '../../src/registry/stream.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('mapOrdered', () => {
  it('yields results in input order although later items finish first', async () => {
    const results: number[] = []
    for await (const value of mapOrdered([30, 1, 15, 0], async (ms) => (await sleep(ms), ms), 4)) results.push(value)
    expect(results).to.deep.equal([30, 1, 15, 0])
  })

  it('never has more than `window` calls running', async () => {
    let running = 0
    let peak = 0
    const map = async (n: number) => {
      running++
      peak = Math.max(peak, running)
      await sleep(2)
      running--
      return n
    }
    const results: number[] = []
    for await (const value of mapOrdered(
      Array.from({length: 20}, (_, n) => n),
      map,
      3,
    ))
      results.push(value)
    expect(results).to.have.length(20)
    expect(peak).to.equal(3)
  })

  it('raises a failure when its turn comes, after the earlier results', async () => {
    const results: number[] = []
    const map = async (n: number) => {
      if (n === 2) throw new Error('boom')
      return n
    }
    let failure: unknown
    try {
      for await (const value of mapOrdered([0, 1, 2, 3], map, 4)) results.push(value)
    } catch (error) {
      failure = error
    }
    expect(results).to.deep.equal([0, 1])
    expect((failure as Error).message).to.equal('boom')
  })
})
