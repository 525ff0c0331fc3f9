import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {type TagListRequest, type TagListStage, tagsToShow} from '../../src/image/tag-listing.js'
import {sizeTags} from '../../src/image/tag-sizes.js'
import type {TagSummary} from '../../src/image/tags.js'
import {parseRepository} from '../../src/registry/reference.js'
import {useRegistry} from '../helpers/registry.js'

describe('tagsToShow against the real registry: what tags list shows in each mode', function () {
  const env = useRegistry()
  const repository = () => parseRepository(`${env.registry.host}/team/shown`)
  const digests: Record<string, string> = {}
  const base: TagListRequest = {sort: 'name', reverse: false, pageSize: 1000, details: false, showReferrers: false}

  before(async function () {
    this.timeout(60_000)
    for (const [tag, created] of [
      ['v1.10', '2023-01-01T00:00:00Z'],
      ['v1.9', '2024-01-01T00:00:00Z'],
      ['old', '2020-01-01T00:00:00Z'],
    ])
      digests[tag] = await pushImage(env.client, repository(), await buildImage({created, layers: [{'f.txt': tag}]}), tag)
    // A cosign signature tag: it belongs to v1.9, not an image of its own.
    const signature = `sha256-${digests['v1.9'].slice(7)}.sig`
    await pushImage(env.client, repository(), await buildImage({created: null, layers: [{'sig.txt': 'signed'}]}), signature)
  })

  async function show(request: Partial<TagListRequest>) {
    const stages: TagListStage[] = []
    const seen: {hidden?: number; manifests?: number} = {}
    const shown = await tagsToShow(
      new ContentCache(env.client),
      repository(),
      {...base, ...request},
      {
        progress: (stage) => {
          stages.push(stage)
          return {update() {}, stop() {}}
        },
        listed: (hidden) => (seen.hidden = hidden),
        beforeManifests: async (tags) => {
          seen.manifests = tags
        },
      },
    )
    return {shown, stages, seen}
  }

  const drain = async (tags: AsyncIterable<TagSummary> | TagSummary[]) => {
    const rows: TagSummary[] = []
    for await (const row of tags) rows.push(row)
    return rows
  }

  it('names: sorted, reversed, then limited; referrer tags hidden and counted; no manifest read', async () => {
    // semver: versions by precedence (v1.9 before v1.10), then other tags; reversed, the other tags come first.
    const {shown, stages, seen} = await show({sort: 'semver', reverse: true, limit: 2})
    expect(shown).to.deep.equal({kind: 'names', tags: [{name: 'old'}, {name: 'v1.10'}]})
    expect(stages).to.deep.equal(['listing'])
    expect(seen).to.deep.equal({hidden: 1})
  })

  it('names with referrers: the signature tag carries its subject', async () => {
    const {shown, seen} = await show({filter: /^sha256-/, showReferrers: true})
    expect(shown).to.deep.equal({kind: 'names', tags: [{name: `sha256-${digests['v1.9'].slice(7)}.sig`, subject: digests['v1.9']}]})
    expect(seen.hidden).to.equal(0)
  })

  it('a digest: the tags pointing at it, after the manifest check is told how many tags are read', async () => {
    const {shown, stages, seen} = await show({digest: digests['old'] as `sha256:${string}`})
    expect(shown.kind).to.equal('digest')
    expect(shown.kind === 'digest' && shown.tags.map((tag) => tag.name)).to.deep.equal(['old'])
    expect(stages).to.deep.equal(['listing', 'lookup'])
    expect(seen.manifests).to.equal(3)
  })

  it('details in name order stream, limited before describing', async () => {
    const {shown, stages} = await show({details: true, limit: 2})
    if (shown.kind !== 'details') expect.fail(shown.kind)
    expect(Array.isArray(shown.tags)).to.equal(false)
    expect(shown.count).to.equal(2)
    expect((await drain(shown.tags)).map((row) => [row.name, 'digest' in row && row.digest])).to.deep.equal([
      ['old', digests['old']],
      ['v1.10', digests['v1.10']],
    ])
    expect(shown.failed).to.deep.equal([])
    expect(stages).to.deep.equal(['listing'])
  })

  it('by creation time: every tag described and ordered, newest first, then limited', async () => {
    const {shown, stages} = await show({sort: 'created', limit: 2})
    if (shown.kind !== 'details') expect.fail(shown.kind)
    expect(shown.count).to.equal(3)
    expect((await drain(shown.tags)).map((row) => row.name)).to.deep.equal(['v1.9', 'v1.10'])
    expect(stages).to.deep.equal(['listing', 'ordering'])
  })

  it('sizeTags: every tag in name order, the quota check told first, each distinct blob counted once', async () => {
    const events: string[] = []
    const sized = await sizeTags(new ContentCache(env.client), repository(), {
      beforeManifests: async (tags) => {
        events.push(`manifests ${tags}`)
      },
    })
    expect(sized.count).to.equal(4)
    for await (const tag of sized.tags) events.push('error' in tag ? `${tag.name} failed` : tag.name)
    expect(events).to.deep.equal(['manifests 4', 'old', `sha256-${digests['v1.9'].slice(7)}.sig`, 'v1.10', 'v1.9'])
    // Four images, each a config and one layer of its own.
    expect(sized.tally.blobs).to.equal(8)
    expect(sized.tally.total).to.be.greaterThan(0)
  })
})
