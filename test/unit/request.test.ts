import {expect} from 'chai'

import {UsageError} from '../../src/errors.js'
import type {Digest} from '../../src/registry/digest.js'
import {repositoryIn} from '../../src/registry/reference.js'
import {catalogRequest, pingRequest, referenceSegment, repositoryRequest, resourcePath} from '../../src/registry/request.js'
import {formatScope} from '../../src/registry/transport/auth.js'

const DIGEST: Digest = `sha256:${'ab'.repeat(32)}`
const app = repositoryIn('localhost:5000', 'team/app')

describe('request builder: path, scope and subject from one description', () => {
  it('derives manifest paths for tags with dots and dashes, and for digests (colon kept as is)', () => {
    expect(resourcePath(app, {kind: 'manifest', reference: 'v1.2.3-rc.1_b'})).to.equal('/v2/team/app/manifests/v1.2.3-rc.1_b')
    expect(resourcePath(app, {kind: 'manifest', reference: DIGEST})).to.equal(`/v2/team/app/manifests/${DIGEST}`)
  })

  it('keeps nested repository paths and Docker Hub library/ names whole', () => {
    const nested = repositoryIn('ghcr.io', 'org/group/sub/api')
    expect(resourcePath(nested, {kind: 'blob', digest: DIGEST})).to.equal(`/v2/org/group/sub/api/blobs/${DIGEST}`)
    const nginx = repositoryIn('docker.io', 'nginx')
    const request = repositoryRequest('GET', nginx, {kind: 'manifest', reference: 'latest'})
    expect(request.path).to.equal('/v2/library/nginx/manifests/latest')
    expect(request.scopes.map(formatScope)).to.deep.equal(['repository:library/nginx:pull'])
    expect(request.subject).to.deep.equal({action: 'get manifest', repository: 'library/nginx', reference: 'latest'})
  })

  it('escapes a reference that is no valid tag, so it cannot add path segments or a query', () => {
    expect(referenceSegment('a/../b?n=1#x')).to.equal('a%2F..%2Fb%3Fn%3D1%23x')
    expect(resourcePath(app, {kind: 'manifest', reference: 'two words'})).to.equal('/v2/team/app/manifests/two%20words')
    const unchecked = 'sha256:../../_catalog' as Digest
    expect(resourcePath(app, {kind: 'blob', digest: unchecked})).to.equal('/v2/team/app/blobs/sha256:..%2F..%2F_catalog')
  })

  it('refuses references URL parsing would drop or resolve away', () => {
    for (const reference of ['', '.', '..']) {
      expect(() => referenceSegment(reference), JSON.stringify(reference)).to.throw(UsageError, 'is no tag or digest')
    }
  })

  it('derives listing paths with their page size and an escaped artifactType filter', () => {
    expect(resourcePath(app, {kind: 'tags', pageSize: 50})).to.equal('/v2/team/app/tags/list?n=50')
    expect(resourcePath(app, {kind: 'referrers', digest: DIGEST})).to.equal(`/v2/team/app/referrers/${DIGEST}`)
    expect(resourcePath(app, {kind: 'referrers', digest: DIGEST, artifactType: 'application/vnd.x+json'})).to.equal(
      `/v2/team/app/referrers/${DIGEST}?artifactType=application%2Fvnd.x%2Bjson`,
    )
    expect(resourcePath(app, {kind: 'upload'})).to.equal('/v2/team/app/blobs/uploads/')
  })

  it('asks for pull on reads, pull and push on writes, delete alone on DELETE', () => {
    const scope = (request: {scopes: Parameters<typeof formatScope>[0][]}) => request.scopes.map(formatScope)
    expect(scope(repositoryRequest('HEAD', app, {kind: 'blob', digest: DIGEST}))).to.deep.equal(['repository:team/app:pull'])
    expect(scope(repositoryRequest('PUT', app, {kind: 'manifest', reference: 'v1'}))).to.deep.equal(['repository:team/app:pull,push'])
    expect(scope(repositoryRequest('POST', app, {kind: 'upload'}))).to.deep.equal(['repository:team/app:pull,push'])
    expect(scope(repositoryRequest('DELETE', app, {kind: 'manifest', reference: DIGEST}))).to.deep.equal(['repository:team/app:delete'])
    expect(scope(repositoryRequest('HEAD', app, {kind: 'blob', digest: DIGEST}, {access: 'push'}))).to.deep.equal([
      'repository:team/app:pull,push',
    ])
  })

  it('names each request the way errors and --verbose lines describe it', () => {
    const action = (...args: Parameters<typeof repositoryRequest>) => repositoryRequest(...args).subject.action
    expect(action('HEAD', app, {kind: 'manifest', reference: 'v1'})).to.equal('head manifest')
    expect(action('DELETE', app, {kind: 'manifest', reference: DIGEST})).to.equal('delete manifest')
    expect(action('DELETE', app, {kind: 'manifest', reference: 'v1'})).to.equal('delete tag')
    expect(action('PUT', app, {kind: 'manifest', reference: 'v1'})).to.equal('push manifest')
    expect(action('GET', app, {kind: 'blob', digest: DIGEST})).to.equal('get blob')
    expect(action('POST', app, {kind: 'upload'})).to.equal('push blob')
    expect(action('GET', app, {kind: 'tags', pageSize: 1000})).to.equal('list tags')
    expect(action('GET', app, {kind: 'referrers', digest: DIGEST})).to.equal('list referrers')
    expect(action('DELETE', app, {kind: 'manifest', reference: DIGEST}, {action: 'probe deletion'})).to.equal('probe deletion')
  })

  it('quotes the tag or digest a request is about, and none for listings and uploads', () => {
    expect(repositoryRequest('GET', app, {kind: 'referrers', digest: DIGEST}).subject).to.deep.equal({
      action: 'list referrers',
      repository: 'team/app',
      reference: DIGEST,
    })
    expect(repositoryRequest('GET', app, {kind: 'tags', pageSize: 1}).subject).to.deep.equal({action: 'list tags', repository: 'team/app'})
    expect(repositoryRequest('POST', app, {kind: 'upload'}).subject).to.deep.equal({action: 'push blob', repository: 'team/app'})
  })

  it('builds the registry-wide catalog and ping requests', () => {
    const catalog = catalogRequest(100)
    expect(catalog.path).to.equal('/v2/_catalog?n=100')
    expect(catalog.scopes.map(formatScope)).to.deep.equal(['registry:catalog:*'])
    expect(catalog.subject).to.deep.equal({action: 'list repositories'})
    expect(pingRequest()).to.deep.equal({method: 'GET', path: '/v2/', scopes: [], subject: {action: 'check the API'}})
  })
})
