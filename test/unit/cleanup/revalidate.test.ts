import {expect} from 'chai'

import {planRepository} from '../../../src/cleanup/plan.js'
import {revalidate} from '../../../src/cleanup/revalidate.js'
import {digest, image, index, repo} from './fixtures.js'

const NOW = new Date('2025-06-01T00:00:00Z')
const old = '2024-01-01T00:00:00Z'

describe('revalidate (a saved plan against the registry as it is now)', () => {
  const facts = repo({a: 1, b: 2, keep: 3, dup: 4, dup2: 4}, [
    image(1, old),
    image(2, old),
    image(3, '2025-05-31T00:00:00Z'),
    image(4, old),
  ])
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

  it('skips the platform manifests of an index it skips (they go only with their index)', () => {
    const layout = repo({multi: 30, keep: 3}, [index(30, [31, 32], old), image(31, old), image(32, old), image(3, '2025-05-31T00:00:00Z')])
    const saved = planRepository(layout, {keepLast: 1}, NOW)
    expect(saved.filter((entry) => entry.parent === digest(30)).map((entry) => entry.digest)).to.deep.equal([digest(31), digest(32)])
    // The tag moved to a single image: the old index stays (untagged) and still lists its children.
    const now = repo({multi: 9, keep: 3}, [image(9), index(30, [31, 32], old), image(31, old), image(32, old), image(3)])
    const {valid, skipped} = revalidate(saved, new Map([['team/app', now]]))
    expect(skipped.map((entry) => [entry.digest, entry.outcome.message])).to.deep.equal([
      [digest(30), `tag now points at ${digest(9)}`],
      [digest(31), `index ${digest(30)} is skipped`],
      [digest(32), `index ${digest(30)} is skipped`],
    ])
    expect(valid.map((entry) => entry.tag)).to.deep.equal(['keep'])
  })

  it('an untag whose tag is now on a placeholder (the untag was killed half-way) becomes the delete of that placeholder', () => {
    const layout = repo({keep: 1, old: 1}, [image(1, '2025-05-31T00:00:00Z')])
    const saved = planRepository(layout, {keepLastTags: 1}, NOW)
    expect(saved.find((i) => i.tag === 'old')!.action).to.equal('untag')
    const now = repo({keep: 1, old: 7}, [image(1, '2025-05-31T00:00:00Z'), {...image(7), kind: 'artifact', placeholder: true}])
    const {valid, skipped} = revalidate(saved, new Map([['team/app', now]]))
    expect(skipped).to.deep.equal([])
    const finished = valid.find((i) => i.tag === 'old')!
    expect(finished).to.include({action: 'delete', digest: digest(7)})
    expect(finished.reason).to.contain('left by an interrupted untag')
    // A tag that moved to anything else is still skipped.
    expect(
      revalidate(saved, new Map([['team/app', repo({keep: 1, old: 8}, [image(1), image(8)])]])).skipped.map((i) => i.tag),
    ).to.deep.equal(['old'])
  })
})
