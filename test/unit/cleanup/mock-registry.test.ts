import {expect} from 'chai'
import type {MockAgent} from 'undici'

import {applyPlan} from '../../../src/cleanup/apply.js'
import type {PlanItem} from '../../../src/cleanup/plan.js'
import {removeTag} from '../../../src/cleanup/untag.js'
import type {RegistryClient} from '../../../src/registry/client.js'
import {parseRepository} from '../../../src/registry/reference.js'
import {mockRegistryClient} from '../../helpers/mock-registry.js'

/**
 * Behaviours the local registry 2.8 cannot show: the OCI distribution 1.1 tag DELETE (distribution 3,
 * GitLab, Harbor answer it), and a manifest delete that fails half-way leaving a dangling tag (a race
 * in 2.8 that cannot be triggered deterministically).
 */
describe('deletion paths the local registry cannot produce (undici MockAgent)', () => {
  const origin = 'http://registry.test'
  const repository = parseRepository('registry.test/app')
  const digest = `sha256:${'1'.repeat(64)}` as const
  let agent: MockAgent
  let client: RegistryClient

  beforeEach(() => {
    ;({agent, client} = mockRegistryClient(origin))
  })
  afterEach(async () => {
    await client.close()
  })

  it('uses the OCI 1.1 tag DELETE where the registry answers it: only the tag goes, no placeholder is pushed', async () => {
    const pool = agent.get(origin)
    pool.intercept({path: '/v2/app/manifests/pr-1', method: 'DELETE'}).reply(202, '')
    expect(await removeTag(client, repository, 'pr-1')).to.deep.equal({status: 'untagged', method: 'tag-delete'})
    // Every interceptor was used and nothing else was sent (disableNetConnect would have thrown).
    agent.assertNoPendingInterceptors()
  })

  it('without push rights the 2.8 fallback is refused with a line saying it needs them; nothing is deleted', async () => {
    const pool = agent.get(origin)
    const json = {headers: {'content-type': 'application/json'}}
    pool.intercept({path: '/v2/app/manifests/pr-1', method: 'DELETE'}).reply(400, {errors: [{code: 'DIGEST_INVALID'}]}, json)
    pool
      .intercept({path: (path) => path.startsWith('/v2/app/manifests/sha256:'), method: 'DELETE'})
      .reply(404, {errors: [{code: 'MANIFEST_UNKNOWN'}]}, json)
    pool
      .intercept({path: '/v2/app/manifests/pr-1', method: 'HEAD'})
      .reply(200, '', {headers: {'docker-content-digest': digest, 'content-type': 'application/vnd.oci.image.manifest.v1+json'}})
    pool.intercept({path: (path) => path.startsWith('/v2/app/blobs/sha256:'), method: 'HEAD'}).reply(403, '')
    try {
      await removeTag(client, repository, 'pr-1')
      expect.fail('removeTag should have been refused')
    } catch (error) {
      expect((error as Error).message).to.match(
        /cannot untag registry\.test\/app:pr-1: this registry has no tag delete, and the fallback .* needs push rights/,
      )
      expect((error as {kind?: string}).kind).to.equal('denied')
    }
    agent.assertNoPendingInterceptors()
  })

  it('after a delete that erred half-way (manifest gone, tag left), re-checks with HEAD and clears the dangling tag', async () => {
    const pool = agent.get(origin)
    const json = {headers: {'content-type': 'application/json'}}
    pool
      .intercept({path: (path) => /^\/v2\/app\/manifests\/sha256:(?!1{64})/.test(path), method: 'DELETE'})
      .reply(404, {errors: [{code: 'MANIFEST_UNKNOWN'}]}, json) // deletion probe
    pool
      .intercept({path: `/v2/app/manifests/${digest}`, method: 'DELETE'})
      .reply(500, {errors: [{code: 'UNKNOWN', message: 'invalid checksum digest format'}]}, json)
    pool.intercept({path: `/v2/app/manifests/${digest}`, method: 'HEAD'}).reply(404, '')
    pool
      .intercept({path: (path) => path.startsWith('/v2/app/tags/list'), method: 'GET'})
      .reply(200, {name: 'app', tags: ['old', 'other']}, json)
    pool.intercept({path: '/v2/app/manifests/old', method: 'HEAD'}).reply(404, '')
    pool.intercept({path: '/v2/app/manifests/old', method: 'DELETE'}).reply(400, {errors: [{code: 'DIGEST_INVALID'}]}, json)
    pool.intercept({path: (path) => path.startsWith('/v2/app/blobs/sha256:'), method: 'HEAD'}).reply(200, '')
    pool.intercept({path: '/v2/app/manifests/old', method: 'PUT'}).reply(201, '')
    pool.intercept({path: (path) => /^\/v2\/app\/manifests\/sha256:(?!1{64})/.test(path), method: 'DELETE'}).reply(202, '') // the placeholder
    const item: PlanItem = {repository: 'app', tag: 'old', digest, mediaType: '', created: null, size: 0, action: 'delete', reason: 'test'}
    const result = await applyPlan(client, [item], {concurrency: 2})
    expect(result.failed).to.equal(0)
    expect(result.items[0].outcome.status).to.equal('deleted')
    expect(result.items[0].outcome.message).to.match(
      /registry answered an error .*invalid checksum digest format.* but the manifest is gone; cleared tag old/,
    )
    agent.assertNoPendingInterceptors()
  })

  it('a delete error while the manifest still exists is a failed item, never retried', async () => {
    const pool = agent.get(origin)
    const json = {headers: {'content-type': 'application/json'}}
    pool
      .intercept({path: (path) => /^\/v2\/app\/manifests\/sha256:(?!1{64})/.test(path), method: 'DELETE'})
      .reply(404, {errors: [{code: 'MANIFEST_UNKNOWN'}]}, json)
    pool
      .intercept({path: `/v2/app/manifests/${digest}`, method: 'DELETE'})
      .reply(500, {errors: [{code: 'UNKNOWN', message: 'disk full'}]}, json)
    pool
      .intercept({path: `/v2/app/manifests/${digest}`, method: 'HEAD'})
      .reply(200, '', {headers: {'docker-content-digest': digest, 'content-type': 'application/vnd.oci.image.manifest.v1+json'}})
    const item: PlanItem = {repository: 'app', tag: 'x', digest, mediaType: '', created: null, size: 0, action: 'delete', reason: 'test'}
    const result = await applyPlan(client, [item], {concurrency: 2})
    expect(result.failed).to.equal(1)
    expect(result.items[0].outcome).to.include({status: 'failed'})
    expect(result.items[0].outcome.message).to.contain('disk full')
    agent.assertNoPendingInterceptors()
  })
})
