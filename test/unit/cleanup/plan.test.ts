import {expect} from 'chai'
import fc from 'fast-check'

import type {ManifestFacts, RepositoryFacts} from '../../../src/cleanup/facts.js'
import {indexClosure} from '../../../src/image/graph.js'
import {planRepository} from '../../../src/cleanup/plan.js'
import type {CleanupRules} from '../../../src/cleanup/policy.js'
import {rankedImages, timeOf} from '../../../src/cleanup/protect.js'
import type {Digest} from '../../../src/registry/digest.js'
import {digest, image, index, repo} from './fixtures.js'

const NOW = new Date('2025-06-01T00:00:00Z')
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString()
const actions = (items: ReturnType<typeof planRepository>) =>
  Object.fromEntries(items.filter((i) => i.tag !== null).map((i) => [i.tag, i.action]))

describe('planRepository (pure cleanup planning)', () => {
  const layout = fc
    .record({
      images: fc.array(
        fc.record({created: fc.option(fc.integer({min: 0, max: 400}), {nil: undefined}), children: fc.array(fc.nat(11), {maxLength: 3})}),
        {minLength: 1, maxLength: 12},
      ),
      tags: fc.uniqueArray(
        fc.tuple(
          fc.constantFrom('v1.0.0', 'v1.2.0', 'v2.0.0', '1.0', 'latest', 'dev', 'pr-1', 'pr-2', 'main', 'x', 'y', 'z', 'v3', 'nightly'),
          fc.nat(11),
        ),
        {selector: ([tag]) => tag, maxLength: 14},
      ),
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
      keepLastTags: fc.option(fc.nat(5), {nil: undefined}),
      keepSemverLatest: fc.option(fc.nat(3), {nil: undefined}),
      olderThanMs: fc.option(
        fc.integer({min: 0, max: 500}).map((d) => d * 86_400_000),
        {nil: undefined},
      ),
      deleteUndated: fc.boolean(),
    },
    {requiredKeys: []},
  )

  it('--keep-last counts images: the newest image keeps all three of its tags', () => {
    const facts = repo({'1.5': 1, latest: 1, stable: 1, '1.4': 2, '1.3': 3}, [image(1, day(1)), image(2, day(2)), image(3, day(3))])
    const items = planRepository(facts, {keepLast: 1}, NOW)
    expect(actions(items)).to.deep.equal({'1.5': 'keep', latest: 'keep', stable: 'keep', '1.4': 'delete', '1.3': 'delete'})
    expect(items.find((i) => i.tag === 'latest')!.reason).to.equal('one of the 1 newest images (--keep-last 1)')
    expect(items.find((i) => i.tag === '1.4')!.reason).to.equal('not among the 1 newest images (--keep-last)')
    expect(actions(planRepository(facts, {keepLast: 2}, NOW))).to.deep.equal({
      '1.5': 'keep',
      latest: 'keep',
      stable: 'keep',
      '1.4': 'keep',
      '1.3': 'delete',
    })
  })

  it('--keep-last-tags counts tags: the newest image keeps only N of its tags (the others are untagged)', () => {
    const facts = repo({'1.5': 1, latest: 1, stable: 1, '1.4': 2}, [image(1, day(1)), image(2, day(2))])
    const items = planRepository(facts, {keepLastTags: 1}, NOW)
    // Ties (one image) by tag name: 1.5 sorts first.
    expect(actions(items)).to.deep.equal({'1.5': 'keep', latest: 'untag', stable: 'untag', '1.4': 'delete'})
    expect(items.find((i) => i.tag === '1.5')!.reason).to.equal('one of the 1 newest tags (--keep-last-tags 1)')
  })

  it('reasons name the policy key, not the flag, for rules from a policy file', () => {
    const facts = repo({a: 1, b: 2, c: 3}, [image(1, day(1)), image(2, day(2)), image(3, day(3))])
    const items = planRepository(facts, {keepLast: 1, keep: /^b$/, source: 'policy'}, NOW)
    expect(items.map((i) => i.reason)).to.deep.equal([
      'one of the 1 newest images (keep_last 1)',
      'image kept by keep /^b$/ (tag b)',
      'not among the 1 newest images (keep_last)',
    ])
  })

  it('a tag on reglens placeholder (an interrupted untag) is deleted whatever the rules say', () => {
    const facts = repo({a: 1, b: 7}, [image(1, day(1)), {...image(7), kind: 'artifact', placeholder: true}])
    const items = planRepository(facts, {match: /^a$/, keep: /^b$/, keepLast: 5}, NOW)
    expect(actions(items)).to.deep.equal({a: 'keep', b: 'delete'})
    expect(items.find((i) => i.tag === 'b')!.reason).to.equal(
      'left by an interrupted untag (reglens placeholder): deleting it finishes the untag',
    )
  })

  it('--keep keeps the whole image: every other tag of it stays too', () => {
    const facts = repo({latest: 1, 'build-7': 1, 'build-6': 2}, [image(1, day(100)), image(2, day(100))])
    expect(actions(planRepository(facts, {keep: /^latest$/, olderThanMs: 86_400_000}, NOW))).to.deep.equal({
      latest: 'keep',
      'build-7': 'keep',
      'build-6': 'delete',
    })
  })

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
    expect(actions(planRepository(facts, {keepLast: 2, deleteUndated: true}, NOW))).to.deep.equal({
      dated: 'keep',
      undated: 'delete',
      old: 'keep',
    })
  })

  it('--older-than keeps recent images; --keep and --keep-semver-latest win over age', () => {
    const facts = repo({'v1.0.0': 1, 'v2.0.0': 2, '1.5.0': 3, dev: 4, fresh: 5}, [
      image(1, day(400)),
      image(2, day(300)),
      image(3, day(200)),
      image(4, day(100)),
      image(5, day(3)),
    ])
    const rules: CleanupRules = {olderThanMs: 30 * 86_400_000, keep: /^dev$/, keepSemverLatest: 1}
    expect(actions(planRepository(facts, rules, NOW))).to.deep.equal({
      'v1.0.0': 'delete',
      'v2.0.0': 'keep',
      '1.5.0': 'delete',
      dev: 'keep',
      fresh: 'keep',
    })
  })

  it('--match limits the candidates; other tags are kept', () => {
    const facts = repo({'pr-1': 1, 'pr-2': 2, main: 3}, [image(1, day(10)), image(2, day(5)), image(3, day(100))])
    expect(actions(planRepository(facts, {match: /^pr-/, keepLast: 1}, NOW))).to.deep.equal({
      'pr-1': 'delete',
      'pr-2': 'keep',
      main: 'keep',
    })
  })

  it('a doomed tag sharing its digest with a tag kept by a tag-level rule is only untagged', () => {
    const facts = repo({old: 1, 'v2.0.0': 1, other: 2}, [image(1, day(100)), image(2, day(50))])
    const items = planRepository(facts, {keepSemverLatest: 1, olderThanMs: 86_400_000}, NOW)
    expect(actions(items)).to.deep.equal({old: 'untag', 'v2.0.0': 'keep', other: 'delete'})
    expect(items.find((i) => i.tag === 'old')!.reason).to.contain('image kept by tag v2.0.0')
  })

  it('a deleted index takes its untagged platform manifests; a kept index protects a doomed tag on its child', () => {
    const facts = repo({multi: 10, 'child-tag': 11, keep: 20}, [
      index(10, [11, 12], day(100)),
      image(11, day(100)),
      image(12, day(100)),
      index(20, [21], day(1)),
      image(21, day(1)),
    ])
    const items = planRepository(facts, {keepLast: 1}, NOW)
    expect(actions(items)).to.deep.equal({multi: 'delete', 'child-tag': 'delete', keep: 'keep'})
    expect(items.filter((i) => i.tag === null).map((i) => i.digest)).to.deep.equal([digest(12)])
    // The index counts once: its tagged platform is part of the kept image, not a second image.
    const protectedChild = repo({multi: 10, 'child-tag': 11, old: 30}, [index(10, [11], day(1)), image(11, day(100)), image(30, day(50))])
    expect(actions(planRepository(protectedChild, {keepLast: 1}, NOW))).to.deep.equal({multi: 'keep', 'child-tag': 'keep', old: 'delete'})
  })

  it('property: every image protected by keep-last, keep or in-use keeps every one of its tags (and each manifest it lists)', () => {
    fc.assert(
      fc.property(layout, rules, fc.uniqueArray(fc.nat(11), {maxLength: 3}), (facts, policy, used) => {
        const inUse = new Set<Digest>(used.map(digest).filter((d) => facts.manifests.has(d)))
        const input = {...(policy as CleanupRules), inUse}
        const items = planRepository(facts, input, NOW)
        const candidates = new Set(facts.tags.filter((t) => !input.match || input.match.test(t.tag)).map((t) => t.tag))
        // Roots computed here from the rules' definitions, independently of the planner's reasons.
        const roots = new Set<Digest>()
        for (const t of facts.tags) if ([...indexClosure([t.digest], facts.manifests)].some((d) => inUse.has(d))) roots.add(t.digest)
        for (const t of facts.tags) if (candidates.has(t.tag) && input.keep?.test(t.tag)) roots.add(t.digest)
        if (input.keepLast !== undefined && input.keepLast > 0) {
          const ranked = rankedImages(facts, candidates, input)
          const time = (d: Digest) => timeOf(facts.manifests.get(d)) ?? -Infinity
          const ranks = ranked.map(time)
          // Ties at the boundary may go either way; every image strictly newer than the N+1th is protected.
          const cutoff = ranks[input.keepLast] ?? -Infinity
          for (const d of ranked) if (time(d) > cutoff || ranked.length <= input.keepLast) roots.add(d)
        }
        const protectedDigests = indexClosure(roots, facts.manifests)
        for (const entry of items.filter((i) => i.tag !== null && protectedDigests.has(i.digest))) {
          expect(entry.action, `${entry.tag} on a protected image: ${entry.reason}`).to.equal('keep')
        }
        for (const d of inUse) for (const entry of items.filter((i) => i.digest === d)) expect(entry.action).to.equal('keep')
      }),
      {numRuns: 2000},
    )
  })

  it('property: no digest a kept tag needs (its own or any child) is ever deleted, and every tag gets exactly one item', () => {
    fc.assert(
      fc.property(layout, rules, (facts, policy) => {
        const items = planRepository(facts, policy as CleanupRules, NOW)
        const keptTags = items.filter((i) => i.action === 'keep').map((i) => facts.tags.find((t) => t.tag === i.tag)!.digest)
        const needed = indexClosure(keptTags, facts.manifests)
        for (const doomed of items.filter((i) => i.action === 'delete'))
          expect(needed.has(doomed.digest), `${doomed.digest} is needed by a kept tag`).to.equal(false)
        expect(
          items
            .filter((i) => i.tag !== null)
            .map((i) => i.tag)
            .sort(),
        ).to.deep.equal(facts.tags.map((t) => t.tag).sort())
        // An untag never leaves a digest that the plan also deletes.
        const deleted = new Set(items.filter((i) => i.action === 'delete').map((i) => i.digest))
        for (const untag of items.filter((i) => i.action === 'untag')) expect(deleted.has(untag.digest)).to.equal(false)
      }),
      {numRuns: 2000},
    )
  })
})
