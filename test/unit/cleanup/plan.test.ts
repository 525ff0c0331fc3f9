import {expect} from 'chai'
import fc from 'fast-check'

import type {ManifestFacts, RepositoryFacts} from '../../../src/cleanup/facts.js'
import {indexClosure} from '../../../src/image/graph.js'
import {planRepository} from '../../../src/cleanup/plan.js'
import type {CleanupRules} from '../../../src/cleanup/policy.js'
import {digest, image, index, repo} from './fixtures.js'

const NOW = new Date('2025-06-01T00:00:00Z')
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString()
const actions = (items: ReturnType<typeof planRepository>) => Object.fromEntries(items.filter((i) => i.tag !== null).map((i) => [i.tag, i.action]))

describe('planRepository (pure cleanup planning)', () => {
  it('orders by created date, never by tag name or registry order, for --keep-last', () => {
    // Tag names sort opposite to their dates.
    const facts = repo({a: 1, b: 2, c: 3, d: 4}, [image(1, day(1)), image(2, day(2)), image(3, day(3)), image(4, day(4))])
    expect(actions(planRepository(facts, {keepLast: 2}, NOW))).to.deep.equal({a: 'keep', b: 'keep', c: 'delete', d: 'delete'})
    const reversed: RepositoryFacts = {...facts, tags: [...facts.tags].reverse()}
    expect(actions(planRepository(reversed, {keepLast: 2}, NOW))).to.deep.equal({a: 'keep', b: 'keep', c: 'delete', d: 'delete'})
  })

  it('keeps undated images unless --delete-undated, and then ranks them oldest', () => {
    const facts = repo({dated: 1, undated: 2, old: 3}, [image(1, day(1)), image(2), image(3, day(90))])
    const kept = planRepository(facts, {keepLast: 1}, NOW)
    expect(actions(kept)).to.deep.equal({dated: 'keep', undated: 'keep', old: 'delete'})
    expect(kept.find((i) => i.tag === 'undated')!.reason).to.match(/no created date/)
    expect(actions(planRepository(facts, {keepLast: 2, deleteUndated: true}, NOW))).to.deep.equal({dated: 'keep', undated: 'delete', old: 'keep'})
  })

  it('--older-than keeps recent images; --keep and --keep-semver-latest win over age', () => {
    const facts = repo({'v1.0.0': 1, 'v2.0.0': 2, '1.5.0': 3, dev: 4, fresh: 5}, [image(1, day(400)), image(2, day(300)), image(3, day(200)), image(4, day(100)), image(5, day(3))])
    const rules: CleanupRules = {olderThanMs: 30 * 86_400_000, keep: /^dev$/, keepSemverLatest: 1}
    expect(actions(planRepository(facts, rules, NOW))).to.deep.equal({'v1.0.0': 'delete', 'v2.0.0': 'keep', '1.5.0': 'delete', dev: 'keep', fresh: 'keep'})
  })

  it('--match limits the candidates; other tags are kept', () => {
    const facts = repo({'pr-1': 1, 'pr-2': 2, main: 3}, [image(1, day(10)), image(2, day(5)), image(3, day(100))])
    expect(actions(planRepository(facts, {match: /^pr-/, keepLast: 1}, NOW))).to.deep.equal({'pr-1': 'delete', 'pr-2': 'keep', main: 'keep'})
  })

  it('a doomed tag sharing its digest with a kept tag is only untagged', () => {
    const facts = repo({old: 1, latest: 1, other: 2}, [image(1, day(100)), image(2, day(50))])
    const items = planRepository(facts, {keep: /^latest$/, olderThanMs: 86_400_000}, NOW)
    expect(actions(items)).to.deep.equal({old: 'untag', latest: 'keep', other: 'delete'})
    expect(items.find((i) => i.tag === 'old')!.reason).to.contain('image kept by tag latest')
  })

  it('a deleted index takes its untagged platform manifests; a kept index protects a doomed tag on its child', () => {
    const facts = repo({multi: 10, 'child-tag': 11, keep: 20}, [index(10, [11, 12], day(100)), image(11, day(100)), image(12, day(100)), index(20, [21], day(1)), image(21, day(1))])
    const items = planRepository(facts, {keepLast: 1}, NOW)
    expect(actions(items)).to.deep.equal({multi: 'delete', 'child-tag': 'delete', keep: 'keep'})
    expect(items.filter((i) => i.tag === null).map((i) => i.digest)).to.deep.equal([digest(12)])
    const protectedChild = repo({multi: 10, 'child-tag': 11}, [index(10, [11], day(1)), image(11, day(100))])
    expect(actions(planRepository(protectedChild, {keepLast: 1}, NOW))).to.deep.equal({multi: 'keep', 'child-tag': 'untag'})
  })

  it('property: no digest a kept tag needs (its own or any child) is ever deleted, and every tag gets exactly one item', () => {
    const layout = fc
      .record({
        images: fc.array(fc.record({created: fc.option(fc.integer({min: 0, max: 400}), {nil: undefined}), children: fc.array(fc.nat(11), {maxLength: 3})}), {minLength: 1, maxLength: 12}),
        tags: fc.uniqueArray(fc.tuple(fc.constantFrom('v1.0.0', 'v1.2.0', 'v2.0.0', '1.0', 'latest', 'dev', 'pr-1', 'pr-2', 'main', 'x', 'y', 'z', 'v3', 'nightly'), fc.nat(11)), {selector: ([tag]) => tag, maxLength: 14}),
      })
      .map(({images, tags}) => {
        // Children point only at higher-numbered images, so layouts are acyclic like real indexes.
        const manifests: ManifestFacts[] = images.map((spec, n) => {
          const children = spec.children.map((c) => n + 1 + c).filter((c) => c < images.length)
          const created = spec.created === undefined ? undefined : day(spec.created)
          return children.length > 0 ? index(n, [...new Set(children)], created) : image(n, created)
        })
        return repo(Object.fromEntries(tags.map(([tag, n]) => [tag, n % images.length])), manifests)
      })
    const rules = fc.record(
      {
        match: fc.option(fc.constantFrom(/^pr-/, /^v/, /./, /^(x|y|z)$/), {nil: undefined}),
        keep: fc.option(fc.constantFrom(/^v/, /^latest$/, /^main$/), {nil: undefined}),
        keepLast: fc.option(fc.nat(5), {nil: undefined}),
        keepSemverLatest: fc.option(fc.nat(3), {nil: undefined}),
        olderThanMs: fc.option(fc.integer({min: 0, max: 500}).map((d) => d * 86_400_000), {nil: undefined}),
        deleteUndated: fc.boolean(),
      },
      {requiredKeys: []},
    )
    fc.assert(
      fc.property(layout, rules, (facts, policy) => {
        const items = planRepository(facts, policy as CleanupRules, NOW)
        const keptTags = items.filter((i) => i.action === 'keep').map((i) => facts.tags.find((t) => t.tag === i.tag)!.digest)
        const needed = indexClosure(keptTags, facts.manifests)
        for (const doomed of items.filter((i) => i.action === 'delete')) expect(needed.has(doomed.digest), `${doomed.digest} is needed by a kept tag`).to.equal(false)
        expect(items.filter((i) => i.tag !== null).map((i) => i.tag).sort()).to.deep.equal(facts.tags.map((t) => t.tag).sort())
        // An untag never leaves a digest that the plan also deletes.
        const deleted = new Set(items.filter((i) => i.action === 'delete').map((i) => i.digest))
        for (const untag of items.filter((i) => i.action === 'untag')) expect(deleted.has(untag.digest)).to.equal(false)
      }),
      {numRuns: 2000},
    )
  })
})
