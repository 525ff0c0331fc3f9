import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {parseDigestList} from '../../../src/cleanup/in-use.js'
import {planRepository} from '../../../src/cleanup/plan.js'
import {loadInUseLists, readPolicy} from '../../../src/cleanup/policy-file.js'
import {UsageError} from '../../../src/errors.js'
import {digest, image, index, repo} from './fixtures.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`
const D = `sha256:${'d'.repeat(64)}`

describe('lists of digests in use (--keep-digests-from)', () => {
  it('reads bare digests, references with a digest, kubectl imageIDs; skips blank lines and # comments', () => {
    const text = `# from kubectl\n${A}\n\n  registry.example.com:5000/team/app@${B}  \ndocker-pullable://registry.example.com/team/app@${C}\ndocker.io/library/nginx:1.25@${D}\n`
    expect(parseDigestList(text, 'list')).to.deep.equal([A, B, C, D])
  })

  const bad: [string, string][] = [
    ['a tag without a digest', 'docker.io/library/nginx:1.25'],
    ['a short digest', 'sha256:abc'],
    ['an unknown algorithm', `md5:${'a'.repeat(32)}`],
    ['two references on one line', `${A} ${B}`],
  ]
  for (const [what, line] of bad) {
    it(`rejects ${what} naming the source and line`, () => {
      expect(() => parseDigestList(`${A}\n# ok\n${line}\n`, '--keep-digests-from pods.txt')).to.throw(
        UsageError,
        /^--keep-digests-from pods\.txt line 3: expected a digest \(sha256:…\) or an image reference with one \(host\/repo@sha256:…\), got "/,
      )
    })
  }

  it('a policy reads keep_digests_from relative to its own directory', async () => {
    const dir = tmpdir()
    writeFileSync(join(dir, `reglens-inuse-${process.pid}.txt`), `${digest(2)}\n`)
    const path = join(dir, `reglens-inuse-${process.pid}.yaml`)
    writeFileSync(path, `rules:\n  - keep_last: 1\n    keep_digests_from: reglens-inuse-${process.pid}.txt\n`)
    const [rule] = await loadInUseLists(readPolicy(path))
    expect([...rule.rules.inUse!]).to.deep.equal([digest(2)])
  })

  it('an image in use, every index listing it, and all their tags are kept ("in use")', () => {
    const NOW = new Date('2025-06-01T00:00:00Z')
    const old = '2024-01-01T00:00:00Z'
    const facts = repo({multi: 10, 'multi-alias': 10, 'amd64-only': 11, lone: 20, other: 30}, [
      index(10, [11, 12], old),
      image(11, old),
      image(12, old),
      image(20, old),
      image(30, old),
    ])
    const items = planRepository(facts, {olderThanMs: 86_400_000, inUse: new Set([digest(12), digest(20)])}, NOW)
    const byTag = Object.fromEntries(items.filter((i) => i.tag).map((i) => [i.tag, `${i.action}: ${i.reason}`]))
    expect(byTag).to.deep.equal({
      multi: 'keep: in use (--keep-digests-from)',
      'multi-alias': 'keep: in use (--keep-digests-from)',
      'amd64-only': 'keep: in use (--keep-digests-from)',
      lone: 'keep: in use (--keep-digests-from)',
      other: 'delete: older than 1d (--older-than)',
    })
  })
})
