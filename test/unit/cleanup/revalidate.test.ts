import {expect} from 'chai'

import {planRepository} from '../../../src/cleanup/plan.js'
import {revalidate} from '../../../src/cleanup/revalidate.js'
import {digest, image, index, repo} from './fixtures.js'

const NOW = new Date('2025-06-01T00:00:00Z')
const old = '2024-01-01T00:00:00Z'

describe('revalidate (a saved plan against the registry as it is now)', () => {
  const facts = repo({a: 1, b: 2, keep: 3, dup: 4, dup2: 4}, [image(1, old), image(2, old), image(3, '2025-05-31T00:00:00Z'), image(4, old)])
  const plan = planRepository(facts, {keepLast: 1}, NOW)

  it('keeps every item when nothing changed', () => {
    const {valid, skipped} = revalidate(plan, new Map([['team/app', facts]]))
    expect(skipped).to.deep.equal([])
    expect(valid).to.have.length(plan.length)
  })

  it('skips a tag that vanished', () => {
    const {skipped} = revalidate(plan, new Map([['team/app', repo({keep: 3}, [image(3)])]]))
    expect(skipped.map((s) => s.outcome.message)).to.include('tag no longer exists')
  })

  it('skips a tag that moved, a manifest that gained a tag, or one a remaining index now lists', () => {
    const now = repo({a: 9, b: 2, keep: 3, dup: 4, dup2: 4, newtag: 4, idx: 20}, [image(9), image(2), image(3), image(4), index(20, [2])])
    const {valid, skipped} = revalidate(plan, new Map([['team/app', now]]))
    const why = Object.fromEntries(skipped.map((s) => [s.tag, s.outcome.message]))
    expect(why.a).to.equal(`tag now points at ${digest(9)}`)
    expect(why.b).to.equal('manifest now listed by the index tagged idx')
    expect(why.dup).to.equal('manifest now also tagged newtag')
    expect(why.dup2).to.equal('manifest now also tagged newtag')
    expect(valid.map((v) => v.tag)).to.deep.equal(['keep'])
  })
})
