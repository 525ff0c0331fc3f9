import {expect} from 'chai'

import {type ManifestNode, reclaimable} from '../../../src/gc/reclaim.js'
import type {Digest} from '../../../src/registry/digest.js'

const d = (name: string): Digest => `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0')}`
const node = (name: string, blobs: [string, number][], children: string[] = []): ManifestNode => ({digest: d(name), size: 10, blobs: blobs.map(([b, size]) => ({digest: d(b), size})), children: children.map(d)})

describe('reclaimable (bytes GC frees once manifests are deleted)', () => {
  const nodes = new Map(
    [
      node('old', [['cfg-old', 1], ['base', 1000], ['old-layer', 500]]),
      node('new', [['cfg-new', 1], ['base', 1000], ['new-layer', 700]]),
      node('idx', [], ['arm', 'amd']),
      node('arm', [['cfg-arm', 1], ['arm-layer', 300]]),
      node('amd', [['cfg-amd', 1], ['old-layer', 500]]),
    ].map((n) => [n.digest, n]),
  )

  it('counts only blobs no remaining manifest (in any repository) references, manifests included', () => {
    const result = reclaimable([d('old')], [d('new'), d('idx')], nodes)
    expect(result.blobs.map((b) => b.digest)).to.have.members([d('old'), d('cfg-old')])
    expect(result.bytes).to.equal(10 + 1)
  })

  it('a deleted index frees its platforms unless something remaining shares them', () => {
    const result = reclaimable([d('idx')], [d('new')], nodes)
    expect(result.blobs.map((b) => b.digest)).to.have.members([d('idx'), d('arm'), d('amd'), d('cfg-arm'), d('arm-layer'), d('cfg-amd'), d('old-layer')])
    expect(result.bytes).to.equal(10 * 3 + 1 + 300 + 1 + 500)
    expect(result.blobs[0].size).to.equal(500)
  })
})
