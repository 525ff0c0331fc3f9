import {expect} from 'chai'
import fc from 'fast-check'

import type {ManifestFacts, RepositoryFacts} from '../../../src/cleanup/facts.js'
import {planRepository} from '../../../src/cleanup/plan.js'
import type {CleanupRules} from '../../../src/cleanup/policy.js'
import {referrerGraph} from '../../../src/cleanup/referrers.js'
import {revalidate} from '../../../src/cleanup/revalidate.js'
import type {Digest} from '../../../src/registry/digest.js'
import {digest, image, index} from './fixtures.js'

const NOW = new Date('2025-06-01T00:00:00Z')
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString()
const base = (n: number) => `sha256-${digest(n).slice(7)}`

/** An artifact manifest (no created date, like cosign's); `subject` set when its manifest names one (OCI 1.1). */
const artifact = (n: number, subject?: number): ManifestFacts => ({
  ...image(n),
  kind: 'artifact',
  ...(subject === undefined ? {} : {subject: digest(subject)}),
})

/**
 * A signed repository as cosign and oras leave it on a registry without the referrers API: per image
 * n, a signature 100+n (`.sig` tag), an attestation 200+n (`.att` tag), and an SBOM 300+n naming its
 * subject, listed by the fallback index 400+n (tag `sha256-<hex>`).
 */
function signedRepo(count: number, options: {undated?: boolean} = {}): RepositoryFacts {
  const manifests: ManifestFacts[] = []
  const tags: {tag: string; digest: Digest}[] = []
  for (let n = 1; n <= count; n++) {
    manifests.push(
      image(n, options.undated ? undefined : day(10 * (count - n))),
      artifact(100 + n),
      artifact(200 + n),
      artifact(300 + n, n),
      index(400 + n, [300 + n]),
    )
    tags.push(
      {tag: `v${n}`, digest: digest(n)},
      {tag: `${base(n)}.sig`, digest: digest(100 + n)},
      {tag: `${base(n)}.att`, digest: digest(200 + n)},
      {tag: base(n), digest: digest(400 + n)},
    )
  }
  return {repository: 'team/app', tags, manifests: new Map(manifests.map((m) => [m.digest, m]))}
}

const deleted = (items: ReturnType<typeof planRepository>) => new Set(items.filter((i) => i.action === 'delete').map((i) => i.digest))

describe('cleanup of referrers (a referrer follows its subject)', () => {
  it('--keep-last 2 keeps the two newest images with every referrer, deletes the others with theirs', () => {
    const items = planRepository(signedRepo(6), {keepLast: 2}, NOW)
    const gone = deleted(items)
    for (const n of [5, 6])
      for (const d of [n, 100 + n, 200 + n, 300 + n, 400 + n]) expect(gone.has(digest(d)), `kept ${d}`).to.equal(false)
    for (const n of [1, 2, 3, 4])
      for (const d of [n, 100 + n, 200 + n, 300 + n, 400 + n]) expect(gone.has(digest(d)), `deleted ${d}`).to.equal(true)
    const sig = items.find((i) => i.tag === `${base(1)}.sig`)!
    expect(sig).to.include({action: 'delete', subject: digest(1), reason: `referrer of ${digest(1).slice(0, 19)}`})
    // The SBOM (untagged) goes after the fallback index listing it.
    expect(items.find((i) => i.digest === digest(301))).to.include({tag: null, action: 'delete', parent: digest(401)})
    expect(items.find((i) => i.tag === `${base(6)}.att`)).to.include({action: 'keep', reason: `referrer of kept ${digest(6).slice(0, 19)}`})
    // Referrers never count as images: exactly two images kept.
    expect(items.filter((i) => i.action === 'keep' && i.subject === undefined).map((i) => i.tag)).to.have.members(['v5', 'v6'])
  })

  it('--delete-undated never touches the referrers of a kept image (their tags have no created date)', () => {
    const items = planRepository(signedRepo(3), {keepLast: 1, deleteUndated: true}, NOW)
    const gone = deleted(items)
    for (const d of [3, 103, 203, 303, 403]) expect(gone.has(digest(d)), `kept ${d}`).to.equal(false)
    for (const d of [1, 101, 201, 301, 401]) expect(gone.has(digest(d))).to.equal(true)
  })

  it('a --match or --older-than rule naming referrer tags does not decide their fate', () => {
    const items = planRepository(signedRepo(2), {match: /^sha256-/, olderThanMs: 0, deleteUndated: true}, NOW)
    expect(deleted(items).size).to.equal(0)
  })

  it('orphans (subject gone) are listed and kept; the orphans rule deletes them', () => {
    const facts: RepositoryFacts = {...signedRepo(1), goneSubjects: new Set([digest(9)])}
    facts.tags.push({tag: `${base(9)}.sig`, digest: digest(109)})
    ;(facts.manifests as Map<Digest, ManifestFacts>).set(digest(109), artifact(109))
    const kept = planRepository(facts, {keepLast: 1}, NOW).find((i) => i.digest === digest(109))!
    expect(kept).to.include({action: 'keep', subject: digest(9)})
    expect(kept.reason).to.match(/^orphan referrer: subject sha256:0{12}.* is gone \(--orphans deletes it\)$/)
    const underPolicy = planRepository(facts, {keepLast: 1, source: 'policy'}, NOW).find((i) => i.digest === digest(109))!
    expect(underPolicy.reason).to.match(/ is gone \(orphans: true deletes it\)$/)
    expect(planRepository(facts, {keepLast: 1, orphans: true}, NOW).find((i) => i.digest === digest(109))).to.include({action: 'delete'})
  })

  it('re-checking a saved plan skips the referrers of an image that is skipped (it gained a tag)', () => {
    const facts = signedRepo(2)
    const items = planRepository(facts, {keepLast: 1}, NOW)
    const now: RepositoryFacts = {...facts, tags: [...facts.tags, {tag: 'hotfix', digest: digest(1)}]}
    const {valid, skipped} = revalidate(items, new Map([['team/app', now]]))
    expect(skipped.map((i) => i.digest)).to.have.members([digest(1), digest(101), digest(201), digest(401), digest(301)])
    expect(skipped.find((i) => i.digest === digest(101))!.outcome.message).to.equal(`its subject ${digest(1)} is skipped`)
    expect(valid.filter((i) => i.action === 'delete')).to.deep.equal([])
  })

  it('property: no kept image loses a referrer; no referrer of a deleted image survives unless its subject does', () => {
    const shape = fc.record({
      images: fc.array(
        fc.record({
          created: fc.option(fc.integer({min: 0, max: 300}), {nil: undefined}),
          platforms: fc.nat(2),
          tags: fc.array(fc.constantFrom('a', 'b', 'latest', 'v1', 'v2', 'pr-1'), {maxLength: 2}),
        }),
        {minLength: 1, maxLength: 6},
      ),
      referrers: fc.array(fc.record({on: fc.nat(40), kind: fc.constantFrom('sig', 'att', 'sbom', 'nested')}), {maxLength: 10}),
      rules: fc.record({
        keepLast: fc.option(fc.integer({min: 1, max: 4}), {nil: undefined}),
        deleteUndated: fc.boolean(),
        olderThanMs: fc.option(
          fc.integer({min: 0, max: 200}).map((d) => d * 86_400_000),
          {nil: undefined},
        ),
        match: fc.option(fc.constantFrom(/^v/, /./, /^sha256-/), {nil: undefined}),
      }),
    })
    fc.assert(
      fc.property(shape, ({images, referrers, rules}) => {
        const manifests: ManifestFacts[] = []
        const tags: {tag: string; digest: Digest}[] = []
        images.forEach((spec, i) => {
          const n = 1000 + i * 10
          const created = spec.created === undefined ? undefined : day(spec.created)
          if (spec.platforms > 0) {
            const children = Array.from({length: spec.platforms}, (_, p) => n + 1 + p)
            manifests.push(index(n, children, created), ...children.map((c) => image(c, created)))
          } else manifests.push(image(n, created))
          for (const tag of new Set([...spec.tags, `img${i}`])) if (!tags.some((t) => t.tag === tag)) tags.push({tag, digest: digest(n)})
        })
        let next = 5000
        referrers.forEach(({on, kind}) => {
          const subject = manifests[on % manifests.length].digest
          const subjectN = Number.parseInt(subject.slice(7), 16)
          const r = next++
          if (kind === 'sbom' || kind === 'nested') {
            manifests.push(artifact(r, subjectN))
            // A referrer of a referrer (nested) has no tag; an SBOM is listed by the subject's fallback index.
            if (kind === 'sbom') {
              const fallback = next++
              manifests.push(index(fallback, [r]))
              if (!tags.some((t) => t.tag === base(subjectN))) tags.push({tag: base(subjectN), digest: digest(fallback)})
            }
          } else if (!tags.some((t) => t.tag === `${base(subjectN)}.${kind}`)) {
            manifests.push(artifact(r))
            tags.push({tag: `${base(subjectN)}.${kind}`, digest: digest(r)})
          }
        })
        const facts: RepositoryFacts = {repository: 'team/app', tags, manifests: new Map(manifests.map((m) => [m.digest, m]))}
        const rulesUsed: CleanupRules = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)) as CleanupRules
        const items = planRepository(facts, rulesUsed, NOW)
        const gone = deleted(items)
        const graph = referrerGraph(facts)
        // A manifest stays unless deleted; a tagged-image that stays keeps every referrer, at any depth.
        for (const node of graph.values()) {
          if (!node.subject || !graph.has(node.subject)) continue
          const subjectStays = !gone.has(node.subject)
          if (subjectStays) expect(gone.has(node.digest), `referrer ${node.digest} of kept ${node.subject}`).to.equal(false)
          else expect(gone.has(node.digest), `referrer ${node.digest} of deleted ${node.subject}`).to.equal(true)
        }
      }),
      {numRuns: 300},
    )
  })
})
