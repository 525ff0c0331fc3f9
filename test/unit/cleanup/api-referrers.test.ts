import {createHash} from 'node:crypto'

import {expect} from 'chai'
import pLimit from 'p-limit'

import type {ManifestFacts} from '../../../src/cleanup/facts.js'
import {gatherRepository} from '../../../src/cleanup/registry-facts.js'
import type {Digest} from '../../../src/registry/digest.js'
import {parseRepository} from '../../../src/registry/reference.js'
import {mockRegistryClient} from '../../helpers/mock-registry.js'
import {image} from './fixtures.js'

/**
 * Gathering a repository on a registry with the OCI 1.1 referrers API (a test double written from
 * the distribution spec's referrers section; registry 2.8 has no such API): untagged referrers are
 * asked for per manifest, with their own referrers in turn, and carry their subject into the graph.
 */
const ORIGIN = 'http://registry.test'
const sha = (text: string): Digest => `sha256:${createHash('sha256').update(text).digest('hex')}`
const INDEX = 'application/vnd.oci.image.index.v1+json'

describe('gathering cleanup facts where the referrers API exists (spec test double)', () => {
  it('adds untagged referrers (and referrers of referrers) with their subject; one probe, no tag scheme needed', async () => {
    const {agent, client} = mockRegistryClient(ORIGIN)
    const pool = agent.get(ORIGIN)
    const subject = sha('image')
    const sbom = sha('sbom')
    const sbomSig = sha('sbom-sig')
    pool.intercept({path: '/v2/team/app/tags/list?n=1000', method: 'GET'}).reply(200, JSON.stringify({name: 'team/app', tags: ['v1']}))
    pool
      .intercept({path: '/v2/team/app/manifests/v1', method: 'HEAD'})
      .reply(200, '', {headers: {'docker-content-digest': subject, 'content-type': 'application/vnd.oci.image.manifest.v1+json'}})
    const answer = (digests: Digest[]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: INDEX,
        manifests: digests.map((digest) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest,
          size: 300,
          artifactType: 'application/spdx+json',
        })),
      })
    pool
      .intercept({path: `/v2/team/app/referrers/${subject}`, method: 'GET'})
      .reply(200, answer([sbom]), {headers: {'content-type': INDEX}})
    pool
      .intercept({path: `/v2/team/app/referrers/${sbom}`, method: 'GET'})
      .reply(200, answer([sbomSig]), {headers: {'content-type': INDEX}})
    pool.intercept({path: `/v2/team/app/referrers/${sbomSig}`, method: 'GET'}).reply(200, answer([]), {headers: {'content-type': INDEX}})
    const source = {describe: async (_repository: string, digest: Digest): Promise<ManifestFacts> => ({...image(1), digest})}
    const facts = await gatherRepository(client, parseRepository('registry.test/team/app'), {limit: pLimit(4), source, mustExist: true})
    expect(facts.manifests.get(sbom)?.subject).to.equal(subject)
    expect(facts.manifests.get(sbomSig)?.subject).to.equal(sbom)
    expect([...(facts.goneSubjects ?? [])]).to.deep.equal([])
    await client.close()
  })
})
