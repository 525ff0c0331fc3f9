import {expect} from 'chai'

import {DeletionRefused, planSelection} from '../../../src/cleanup/select.js'
import {withCliHints} from '../../../src/cli/hints.js'
import {digest, image, index, repo} from './fixtures.js'

describe('planSelection (explicit deletions and their guards)', () => {
  const shared = repo({a: 1, b: 1, c: 2}, [image(1), image(2)])

  it('a tag alone is only untagged, and says whether the image keeps other tags', () => {
    const items = planSelection(shared, {tags: ['a'], digests: []})
    expect(items.map((i) => [i.tag, i.action])).to.deep.equal([['a', 'untag']])
    expect(items[0].reason).to.contain('image kept by tag b')
    expect(planSelection(shared, {tags: ['c'], digests: []})[0].reason).to.contain('now untagged')
  })

  it('refuses a digest while unselected tags point at it, naming them; selecting them or --force deletes it', () => {
    expect(() => planSelection(shared, {tags: [], digests: [digest(1)]})).to.throw(DeletionRefused, /also tagged "a", "b"/)
    expect(() => planSelection(shared, {tags: ['a'], digests: [], wholeImage: true})).to.throw(DeletionRefused, /also tagged "b"/)
    const both = planSelection(shared, {tags: ['a', 'b'], digests: [], wholeImage: true})
    expect(both.map((i) => [i.tag, i.action])).to.deep.equal([
      ['a', 'delete'],
      ['b', 'delete'],
    ])
    const forced = planSelection(shared, {tags: [], digests: [digest(1)], force: true})
    expect(forced.map((i) => [i.tag, i.action])).to.deep.equal([
      ['a', 'delete'],
      ['b', 'delete'],
    ])
    // Plan reasons are data in the library's words; the refusal is a message the CLI words with its flags.
    expect(forced.map((i) => i.reason)).to.deep.equal([`also on ${digest(1)} (deletion forced)`, `also on ${digest(1)} (deletion forced)`])
    try {
      planSelection(shared, {tags: [], digests: [digest(1)]})
    } catch (error) {
      expect((error as Error).message).not.to.contain('--')
      expect(withCliHints((error as Error).message)).to.match(
        /which would go too; select those tags as well, delete only the tag \(without --whole-image\), or pass --force$/,
      )
    }
  })

  it('refuses a platform manifest a remaining index lists, even with --force; deleting the index takes its untagged children', () => {
    const multi = repo({multi: 10, solo: 3}, [index(10, [11, 12]), image(11), image(12), image(3)])
    expect(() => planSelection(multi, {tags: [], digests: [digest(11)], force: true})).to.throw(
      DeletionRefused,
      /index tagged "multi" still lists it/,
    )
    const items = planSelection(multi, {tags: ['multi'], digests: [], wholeImage: true})
    expect(items.map((i) => [i.tag, i.digest, i.action])).to.deep.equal([
      ['multi', digest(10), 'delete'],
      [null, digest(11), 'delete'],
      [null, digest(12), 'delete'],
    ])
    expect(items[1].parent).to.equal(digest(10))
  })

  it('an untagged manifest selected by digest is deleted on its own', () => {
    const facts = repo({a: 1}, [image(1), image(5)])
    expect(planSelection(facts, {tags: [], digests: [digest(5)]}).map((i) => [i.tag, i.digest, i.action])).to.deep.equal([
      [null, digest(5), 'delete'],
    ])
  })
})
