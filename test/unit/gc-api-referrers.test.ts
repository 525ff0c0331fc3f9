import {createHash} from 'node:crypto'

import {expect} from 'chai'
import pLimit from 'p-limit'

import {walkRegistry} from '../../src/gc/registry-graph.js'
import {ContentCache} from '../../src/image/content-cache.js'
import type {Digest} from '../../src/registry/digest.js'
import {mockRegistryClient} from '../helpers/mock-registry.js'

/**
 * gc-hint over the API on a registry with the OCI 1.1 referrers API (a test double written from the
 * distribution spec's referrers section; registry 2.8 has none): untagged referrers are part of the
 * graph, with their subject and their blobs, so their bytes are counted.
 */
const ORIGIN = 'http://registry.test'
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const INDEX = 'application/vnd.oci.image.index.v1+json'
const sha = (bytes: Buffer | string): Digest => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

function manifest(configText: string, layerSize: number, subject?: {digest: Digest; size: number}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(configText), size: configText.length},
      layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(`layer of ${configText}`), size: layerSize}],
      ...(subject ? {subject: {mediaType: MANIFEST, ...subject}} : {}),
    }),
  )
}

describe('gc-hint graph where the referrers API exists (spec test double)', () => {
  it('holds untagged referrers with their subject and blobs', async () => {
    const {agent, client} = mockRegistryClient(ORIGIN)
    const pool = agent.get(ORIGIN)
    const image = manifest('image config', 1000)
    const imageDigest = sha(image)
    const sbom = manifest('sbom config', 70, {digest: imageDigest, size: image.length})
    const sbomDigest = sha(sbom)
    const serve = (reference: string, bytes: Buffer) =>
      pool
        .intercept({path: `/v2/team/app/manifests/${reference}`, method: 'GET'})
        .reply(200, bytes, {headers: {'content-type': MANIFEST, 'docker-content-digest': sha(bytes)}})
    pool.intercept({path: '/v2/team/app/tags/list?n=1000', method: 'GET'}).reply(200, JSON.stringify({name: 'team/app', tags: ['v1']}))
    pool
      .intercept({path: '/v2/team/app/manifests/v1', method: 'HEAD'})
      .reply(200, '', {headers: {'docker-content-digest': imageDigest, 'content-type': MANIFEST}})
    serve(imageDigest, image)
    serve(sbomDigest, sbom)
    const answer = (entries: {digest: Digest; size: number}[]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: INDEX,
        manifests: entries.map((entry) => ({mediaType: MANIFEST, artifactType: 'application/spdx+json', ...entry})),
      })
    pool
      .intercept({path: `/v2/team/app/referrers/${imageDigest}`, method: 'GET'})
      .reply(200, answer([{digest: sbomDigest, size: sbom.length}]), {headers: {'content-type': INDEX}})
    pool.intercept({path: `/v2/team/app/referrers/${sbomDigest}`, method: 'GET'}).reply(200, answer([]), {headers: {'content-type': INDEX}})
    try {
      const graph = await walkRegistry(new ContentCache(client), ['team/app'], pLimit(4), 4)
      const node = graph.nodes.get(sbomDigest)
      expect(node?.subject).to.equal(imageDigest)
      expect(node?.blobs.map((blob) => blob.size)).to.deep.equal(['sbom config'.length, 70])
      expect(graph.nodes.get(imageDigest)?.blobs.map((blob) => blob.size)).to.deep.equal(['image config'.length, 1000])
      expect(graph.tags.get('team/app')?.map((tag) => tag.tag)).to.deep.equal(['v1'])
    } finally {
      await client.close()
    }
  })
})
