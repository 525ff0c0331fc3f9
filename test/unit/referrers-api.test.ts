import {createHash} from 'node:crypto'

import {expect} from 'chai'
import type {MockAgent} from 'undici'

import type {RegistryClient} from '../../src/registry/client.js'
import type {Digest} from '../../src/registry/digest.js'
import {parseRepository} from '../../src/registry/reference.js'
import {referrersFromApi, RepositoryReferrers} from '../../src/registry/referrers.js'
import {mockRegistryClient} from '../helpers/mock-registry.js'

/**
 * The OCI 1.1 referrers API through a test double written from the distribution spec's "Listing
 * Referrers" section: registry 2.8, the real registry the other tests use, has no referrers API.
 * Per the spec: 200 with an image index (empty when nothing refers), `artifactType` filtering
 * reported in `OCI-Filters-Applied`, `Link` pagination, and never a 404 from a registry offering it.
 */

const ORIGIN = 'http://registry.test'
const repo = parseRepository('registry.test/team/app')
const sha = (text: string): Digest => `sha256:${createHash('sha256').update(text).digest('hex')}`
const SUBJECT = sha('subject')
const INDEX = 'application/vnd.oci.image.index.v1+json'
const entry = (name: string, artifactType: string) => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: sha(name),
  size: 500,
  artifactType,
  annotations: {'org.opencontainers.image.created': '2024-05-01T00:00:00Z'},
})
const page = (...entries: ReturnType<typeof entry>[]) => JSON.stringify({schemaVersion: 2, mediaType: INDEX, manifests: entries})

describe('referrers API (test double from the distribution spec; registry 2.8 has none)', () => {
  let agent: MockAgent
  let client: RegistryClient

  beforeEach(() => {
    ;({agent, client} = mockRegistryClient(ORIGIN))
  })

  afterEach(async () => {
    await client.close()
  })

  const pool = () => agent.get(ORIGIN)
  const referrersPath = (query = '') => `/v2/team/app/referrers/${SUBJECT}${query}`

  it('lists every referrer with its artifactType and annotations, marked as found by the API', async () => {
    pool()
      .intercept({path: referrersPath(), method: 'GET'})
      .reply(200, page(entry('sig', 'application/vnd.dev.cosign.artifact.sig.v1+json'), entry('sbom', 'application/spdx+json')), {
        headers: {'content-type': INDEX},
      })
    const found = await referrersFromApi(client, repo, SUBJECT)
    expect(found!.map((r) => [r.digest, r.artifactType, r.method, r.subject])).to.deep.equal([
      [sha('sig'), 'application/vnd.dev.cosign.artifact.sig.v1+json', 'referrers-api', SUBJECT],
      [sha('sbom'), 'application/spdx+json', 'referrers-api', SUBJECT],
    ])
    expect(found![0].annotations).to.deep.equal({'org.opencontainers.image.created': '2024-05-01T00:00:00Z'})
  })

  it('an artifactType filter the registry applied (OCI-Filters-Applied) is trusted; one it ignored is applied here', async () => {
    const query = `?artifactType=${encodeURIComponent('application/spdx+json')}`
    pool()
      .intercept({path: referrersPath(query), method: 'GET'})
      .reply(200, page(entry('sbom', 'application/spdx+json')), {headers: {'content-type': INDEX, 'oci-filters-applied': 'artifactType'}})
    expect((await referrersFromApi(client, repo, SUBJECT, {artifactType: 'application/spdx+json'}))!.map((r) => r.digest)).to.deep.equal([
      sha('sbom'),
    ])
    // No OCI-Filters-Applied: the registry answered unfiltered, so the signature must be dropped client-side.
    pool()
      .intercept({path: referrersPath(query), method: 'GET'})
      .reply(200, page(entry('sig', 'application/vnd.dev.cosign.artifact.sig.v1+json'), entry('sbom', 'application/spdx+json')), {
        headers: {'content-type': INDEX},
      })
    expect((await referrersFromApi(client, repo, SUBJECT, {artifactType: 'application/spdx+json'}))!.map((r) => r.digest)).to.deep.equal([
      sha('sbom'),
    ])
  })

  it('follows Link pagination across pages on the same origin', async () => {
    pool()
      .intercept({path: referrersPath(), method: 'GET'})
      .reply(200, page(entry('a', 'x/a')), {headers: {'content-type': INDEX, link: `<${referrersPath('?last=a')}>; rel="next"`}})
    pool()
      .intercept({path: referrersPath('?last=a'), method: 'GET'})
      .reply(200, page(entry('b', 'x/b')), {headers: {'content-type': INDEX}})
    expect((await referrersFromApi(client, repo, SUBJECT))!.map((r) => r.digest)).to.deep.equal([sha('a'), sha('b')])
  })

  it('refuses a pagination link to another origin (credentials never leave the registry)', async () => {
    pool()
      .intercept({path: referrersPath(), method: 'GET'})
      .reply(200, page(entry('a', 'x/a')), {
        headers: {'content-type': INDEX, link: `<http://elsewhere.test/v2/team/app/referrers/${SUBJECT}?last=a>; rel="next"`},
      })
    const error = await referrersFromApi(client, repo, SUBJECT).catch((caught: unknown) => caught as Error)
    expect((error as Error).message).to.match(/next-page link \(list referrers\) on another origin \(http:\/\/elsewhere\.test\)/)
  })

  it('an empty index is no referrers, and the API counts as offered', async () => {
    pool()
      .intercept({path: referrersPath(), method: 'GET'})
      .reply(200, page(), {headers: {'content-type': INDEX}})
    pool()
      .intercept({path: '/v2/team/app/tags/list?n=1000', method: 'GET'})
      .reply(200, JSON.stringify({name: 'team/app', tags: ['v1']}))
    const referrers = new RepositoryReferrers(client, repo)
    expect(await referrers.of(SUBJECT)).to.deep.equal([])
    expect(await referrers.method(SUBJECT)).to.equal('referrers-api')
  })

  it('a 404 means no referrers API: one probe per repository, then the referrers tag schema for every subject', async () => {
    const other = sha('other')
    let probes = 0
    pool()
      .intercept({path: (path) => path.startsWith('/v2/team/app/referrers/'), method: 'GET'})
      .reply(() => {
        probes++
        return {statusCode: 404, data: '404 page not found\n'}
      })
      .persist()
    const fallback = page(entry('sbom', 'application/spdx+json'))
    pool()
      .intercept({path: '/v2/team/app/tags/list?n=1000', method: 'GET'})
      .reply(200, JSON.stringify({name: 'team/app', tags: ['v1', `sha256-${SUBJECT.slice(7)}`]}))
    pool()
      .intercept({path: `/v2/team/app/manifests/sha256-${SUBJECT.slice(7)}`, method: 'GET'})
      .reply(200, fallback, {headers: {'content-type': INDEX, 'docker-content-digest': sha(fallback)}})
    const referrers = new RepositoryReferrers(client, repo)
    const [mine, theirs] = await Promise.all([referrers.of(SUBJECT), referrers.of(other)])
    expect(mine.map((r) => [r.digest, r.method, r.tag])).to.deep.equal([[sha('sbom'), 'referrers-tag', `sha256-${SUBJECT.slice(7)}`]])
    expect(theirs).to.deep.equal([])
    expect(probes).to.equal(1)
    expect(await referrers.method(other)).to.equal('referrers-tag')
  })
})
