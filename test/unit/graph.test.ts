import {expect} from 'chai'
import fc from 'fast-check'

import {type GraphNode, indexClosure, MAX_INDEX_DEPTH, orphanReferrers, reclaimable, withReferrers} from '../../src/image/graph.js'
import type {Digest} from '../../src/registry/digest.js'

const d = (name: string): Digest => `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0')}`
const node = (name: string, blobs: [string, number][], children: string[] = [], subject?: string): GraphNode => ({
  digest: d(name),
  manifestSize: 10,
  blobs: blobs.map(([b, size]) => ({digest: d(b), size})),
  children: children.map(d),
  ...(subject ? {subject: d(subject)} : {}),
})
const graphOf = (...nodes: GraphNode[]) => new Map(nodes.map((n) => [n.digest, n]))

describe('manifest graph', () => {
  describe('reclaimable (bytes GC frees once manifests are deleted)', () => {
    const nodes = graphOf(
      node('old', [
        ['cfg-old', 1],
        ['base', 1000],
        ['old-layer', 500],
      ]),
      node('new', [
        ['cfg-new', 1],
        ['base', 1000],
        ['new-layer', 700],
      ]),
      node('idx', [], ['arm', 'amd']),
      node('arm', [
        ['cfg-arm', 1],
        ['arm-layer', 300],
      ]),
      node('amd', [
        ['cfg-amd', 1],
        ['old-layer', 500],
      ]),
    )

    it('counts only blobs no remaining manifest (in any repository) references, manifests included', () => {
      const result = reclaimable([d('old')], [d('new'), d('idx')], nodes)
      expect(result.blobs.map((b) => b.digest)).to.have.members([d('old'), d('cfg-old')])
      expect(result.bytes).to.equal(10 + 1)
    })

    it('a deleted index frees its platforms unless something remaining shares them', () => {
      const result = reclaimable([d('idx')], [d('new')], nodes)
      expect(result.blobs.map((b) => b.digest)).to.have.members([
        d('idx'),
        d('arm'),
        d('amd'),
        d('cfg-arm'),
        d('arm-layer'),
        d('cfg-amd'),
        d('old-layer'),
      ])
      expect(result.bytes).to.equal(10 * 3 + 1 + 300 + 1 + 500)
      expect(result.blobs[0].size).to.equal(500)
    })

    it('a deleted index of indexes frees the manifests of every level', () => {
      const nested = graphOf(
        node('top', [], ['mid']),
        node('mid', [], ['leaf']),
        node('leaf', [
          ['cfg', 2],
          ['layer', 40],
        ]),
      )
      expect(reclaimable([d('top')], [], nested).blobs.map((b) => b.digest)).to.have.members([
        d('top'),
        d('mid'),
        d('leaf'),
        d('cfg'),
        d('layer'),
      ])
    })
  })

  describe('indexClosure', () => {
    it('follows nested indexes to any depth up to the limit', () => {
      const chain = Array.from({length: MAX_INDEX_DEPTH + 1}, (_, n) => node(`i${n}`, [], n < MAX_INDEX_DEPTH ? [`i${n + 1}`] : []))
      expect(indexClosure([d('i0')], graphOf(...chain)).size).to.equal(MAX_INDEX_DEPTH + 1)
    })

    it('refuses nesting deeper than the limit with one bad-response line (exit 12)', () => {
      const chain = Array.from({length: MAX_INDEX_DEPTH + 3}, (_, n) => node(`i${n}`, [], n < MAX_INDEX_DEPTH + 2 ? [`i${n + 1}`] : []))
      expect(() => indexClosure([d('i0')], graphOf(...chain)))
        .to.throw(/nests indexes deeper than 8 levels/)
        .with.property('exitCode', 12)
    })

    it('refuses a cycle instead of hanging', () => {
      expect(() => indexClosure([d('a')], graphOf(node('a', [], ['b']), node('b', [], ['a'])))).to.throw(
        /deeper than 8 levels \(or lists itself\)/,
      )
    })
  })

  describe('referrers', () => {
    const graph = graphOf(
      node('img', [['cfg', 1]]),
      node('sig', [['sig-layer', 1]], [], 'img'),
      node('sbom', [['sbom-layer', 1]], [], 'img'),
      node('sbom-sig', [['s2', 1]], [], 'sbom'),
      node('lost', [['l', 1]], [], 'gone'),
    )

    it('withReferrers adds referrers of referrers (a signature of an SBOM)', () => {
      expect([...withReferrers([d('img')], graph)]).to.have.members([d('img'), d('sig'), d('sbom'), d('sbom-sig')])
    })

    it('orphanReferrers lists referrers whose subject is not present', () => {
      expect(orphanReferrers(graph, new Set([d('img'), d('sig'), d('sbom'), d('sbom-sig')]))).to.deep.equal([d('lost')])
    })
  })

  it('property: a kept image keeps every referrer; a deleted image loses each referrer that nothing kept needs', () => {
    const shape = fc.record({
      images: fc.integer({min: 1, max: 8}),
      indexes: fc.array(fc.array(fc.nat(20), {minLength: 1, maxLength: 3}), {maxLength: 4}),
      referrers: fc.array(fc.nat(40), {maxLength: 12}),
      kept: fc.array(fc.nat(40), {maxLength: 5}),
      roots: fc.array(fc.nat(40), {maxLength: 8}),
    })
    fc.assert(
      fc.property(shape, ({images, indexes, referrers, kept, roots}) => {
        // Nodes are numbered: images first, then indexes (listing only lower-numbered nodes, so nesting is acyclic), then referrers.
        const nodes: GraphNode[] = []
        for (let n = 0; n < images; n++) nodes.push(node(`n${n}`, [[`b${n}`, n + 1]]))
        for (const children of indexes) nodes.push(node(`n${nodes.length}`, [], [...new Set(children.map((c) => `n${c % nodes.length}`))]))
        for (const subject of referrers) nodes.push(node(`n${nodes.length}`, [[`r${nodes.length}`, 1]], [], `n${subject % nodes.length}`))
        const graph = graphOf(...nodes)
        const pick = (ns: number[]) => ns.map((n) => nodes[n % nodes.length].digest)
        const keptSet = withReferrers(pick(kept), graph)
        const deletedSet = new Set([...withReferrers(pick(roots), graph)].filter((digest) => !keptSet.has(digest)))
        for (const n of nodes) {
          if (!n.subject) continue
          if (keptSet.has(n.subject)) expect(keptSet.has(n.digest), 'kept subject keeps its referrer').to.equal(true)
          if (deletedSet.has(n.subject))
            expect(keptSet.has(n.digest) || deletedSet.has(n.digest), 'referrer of a deleted subject goes unless kept').to.equal(true)
        }
        // Nothing kept is ever reclaimed.
        const freed = new Set(reclaimable(deletedSet, keptSet, graph).blobs.map((b) => b.digest))
        for (const digest of keptSet) expect(freed.has(digest)).to.equal(false)
      }),
      {numRuns: 300},
    )
  })
})
