import {expect} from 'chai'

import {mergeScopes, parseScopes, scopeKey} from '../../src/registry/auth/scopes.js'
import {TokenCache} from '../../src/registry/auth/token-cache.js'
import {parseTokenResponse} from '../../src/registry/auth/token.js'
import {CATALOG_SCOPE, repositoryScope} from '../../src/registry/transport/auth.js'

describe('token scopes', () => {
  it('merges actions per repository and sorts, so equal sets give equal keys', () => {
    const merged = mergeScopes(
      [repositoryScope('b/app', 'pull')],
      [repositoryScope('b/app', 'delete'), CATALOG_SCOPE, repositoryScope('a/x', 'pull')],
    )
    expect(merged.map((s) => `${s.type}:${s.name}:${s.actions.join(',')}`)).to.deep.equal([
      'registry:catalog:*',
      'repository:a/x:pull',
      'repository:b/app:delete,pull',
    ])
    expect(scopeKey([repositoryScope('b/app', 'delete', 'pull')])).to.equal(
      scopeKey([repositoryScope('b/app', 'pull'), repositoryScope('b/app', 'delete')]),
    )
  })

  it('parses a challenge scope list, keeping a registry port inside the name', () => {
    expect(parseScopes('repository:localhost:5000/app:pull,push registry:catalog:*')).to.deep.equal([
      {type: 'repository', name: 'localhost:5000/app', actions: ['pull', 'push']},
      {type: 'registry', name: 'catalog', actions: ['*']},
    ])
    expect(parseScopes('garbage nothing:here')).to.deep.equal([])
  })
})

describe('token cache', () => {
  it('shares one in-flight token request between concurrent callers', async () => {
    const cache = new TokenCache()
    let issued = 0
    const issue = async () => {
      issued++
      await new Promise((resolve) => setTimeout(resolve, 10))
      return {token: `t${issued}`, expiresIn: 300}
    }
    const tokens = await Promise.all(Array.from({length: 25}, () => cache.get('k', issue)))
    expect(issued).to.equal(1)
    expect(new Set(tokens)).to.deep.equal(new Set(['t1']))
  })

  it('reuses a token until shortly before expires_in, then asks again', async () => {
    let now = 1_000_000
    const cache = new TokenCache(() => now)
    let issued = 0
    const issue = async () => ({token: `t${++issued}`, expiresIn: 60})
    expect(await cache.get('k', issue)).to.equal('t1')
    now += 50_000
    expect(await cache.get('k', issue)).to.equal('t1')
    now += 5_000 // 55 s: inside the 10 % renewal margin of a 60 s token
    expect(await cache.get('k', issue)).to.equal('t2')
    expect(await cache.get('other', issue)).to.equal('t3')
  })

  it('forgets a failed request so the next caller retries, and drops an invalidated token', async () => {
    const cache = new TokenCache()
    let calls = 0
    const failing = async () => {
      calls++
      throw new Error('boom')
    }
    await cache.get('k', failing).catch(() => undefined)
    await cache.get('k', failing).catch(() => undefined)
    expect(calls).to.equal(2)
    await cache.get('k', async () => ({token: 'a', expiresIn: 300}))
    cache.invalidate('k')
    expect(await cache.get('k', async () => ({token: 'b', expiresIn: 300}))).to.equal('b')
  })

  it('accepts token or access_token and defaults expires_in to 60 s; a response without a token is a bad response', () => {
    expect(parseTokenResponse('{"token":"abc","expires_in":300}', 'r')).to.deep.equal({token: 'abc', expiresIn: 300})
    expect(parseTokenResponse('{"access_token":"xyz"}', 'r')).to.deep.equal({token: 'xyz', expiresIn: 60})
    expect(() => parseTokenResponse('{"expires_in":3}', 'r')).to.throw(/without a token/)
    expect(() => parseTokenResponse('<html>', 'r')).to.throw(/malformed JSON/)
  })
})
