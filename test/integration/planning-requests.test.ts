import {expect} from 'chai'
import pLimit from 'p-limit'

import {currentFacts} from '../../src/cleanup/collect.js'
import {planRepository} from '../../src/cleanup/plan.js'
import {gatherRepository, RegistryFactsSource} from '../../src/cleanup/registry-facts.js'
import {buildImage, pushImage} from '../../src/devtools/images.js'
import {ContentCache} from '../../src/image/content-cache.js'
import {RegistryClient} from '../../src/registry/client.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'
import {parseRepository} from '../../src/registry/reference.js'
import {useRegistry} from '../helpers/registry.js'

/** Requests planning sends, counted on the wire (client.requests) against the real registry. */
describe('requests sent by cleanup planning (real registry)', () => {
  const env = useRegistry()
  const name = 'count/app'
  const created = (day: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + day * 86_400_000).toISOString()

  before(async () => {
    const repository = parseRepository(`${env.registry.host}/${name}`)
    // Five tags on four images: one image carries two tags.
    const shared = await buildImage({layers: [{f: 'shared'}], created: created(5)})
    await pushImage(env.client, repository, shared, 'latest')
    await pushImage(env.client, repository, shared, '1.5')
    for (let day = 1; day <= 3; day++)
      await pushImage(env.client, repository, await buildImage({layers: [{f: `image ${day}`}], created: created(day)}), `1.${day}`)
  })

  async function counted<T>(work: (client: RegistryClient) => Promise<T>): Promise<{result: T; get: number; head: number}> {
    const client = new RegistryClient(endpointFromUrl(env.registry.url))
    try {
      const result = await work(client)
      return {result, get: client.requests.byMethod.get('GET') ?? 0, head: client.requests.byMethod.get('HEAD') ?? 0}
    } finally {
      await client.close()
    }
  }

  const gather = (client: RegistryClient) =>
    gatherRepository(client, parseRepository(`${env.registry.host}/${name}`), {
      limit: pLimit(4),
      source: new RegistryFactsSource(new ContentCache(client, {concurrency: 4})),
      mustExist: true,
    })

  it('a rules cleanup sends one GET per tag (its digest is unknown) and no HEAD: 1 tag list + 5 manifests + 4 configs + 1 referrers API probe', async () => {
    const {result, get, head} = await counted(gather)
    expect(result.tags.map((t) => t.tag).sort()).to.deep.equal(['1.1', '1.2', '1.3', '1.5', 'latest'])
    expect(result.manifests.size).to.equal(4)
    // The probe: GET /v2/<name>/referrers/<digest>, once per repository (404 on registry 2.8).
    expect({get, head}).to.deep.equal({get: 1 + 5 + 4 + 1, head: 0})
  })

  it('re-checking a saved plan (digests known) sends a HEAD per tag and no manifest GET for plain images', async () => {
    const {result: facts} = await counted(gather)
    const plan = planRepository(facts, {keepLast: 1}, new Date('2025-06-01T00:00:00Z'))
    const {result, get, head} = await counted((client) =>
      currentFacts(client, plan, {limit: pLimit(4), source: new RegistryFactsSource(new ContentCache(client, {concurrency: 4}))}),
    )
    expect(result.get(name)!.tags).to.have.length(5)
    expect({get, head}).to.deep.equal({get: 1, head: 5})
  })
})
