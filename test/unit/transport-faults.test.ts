import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'

import {ExitCode, RegistryError} from '../../src/errors.js'
import {listRepositories} from '../../src/registry/catalog.js'
import {RegistryClient} from '../../src/registry/client.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {mockRegistryClient} from '../helpers/mock-registry.js'

/**
 * Faults a real registry will not produce on demand (429 storms, 5xx, resets, malformed bodies, and
 * the tag paging that Harbor/GHCR/ECR do but registry 2.8 does not), through undici's MockAgent.
 */
const ORIGIN = 'http://127.0.0.1:5999'
const FAST_RETRY = {maxRetries: 3, minDelayMs: 1, maxDelayMs: 50}

function setup(retry = FAST_RETRY) {
  const {agent, client} = mockRegistryClient(ORIGIN, {transport: {retry}})
  return {pool: agent.get(ORIGIN), client, agent}
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise
  } catch (error) {
    return error as RegistryError
  }
  throw new Error('expected a failure')
}

const repo = parseRepository('127.0.0.1:5999/team/app')
const json = {headers: {'content-type': 'application/json'}}

describe('transport faults (MockAgent)', () => {
  it('retries a 503 and succeeds on the next answer', async () => {
    const {pool, client} = setup()
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(503, 'busy')
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(200, {name: 'team/app', tags: ['a']}, json)
    expect(await collect(listTags(client, repo))).to.deep.equal(['a'])
    await client.close()
  })

  it('honours Retry-After on 429 before retrying (real socket: MockAgent does not pause bodies)', async () => {
    let calls = 0
    const server = createServer((_req, res) => {
      calls++
      if (calls === 1)
        res.writeHead(429, {'retry-after': '1', 'content-type': 'application/json'}).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}')
      else res.writeHead(200, {'content-type': 'application/json'}).end('{"tags":["x"]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    const client = new RegistryClient(endpointFromUrl(`127.0.0.1:${port}`), {
      transport: {retry: {maxRetries: 2, minDelayMs: 1, maxDelayMs: 3000}},
    })
    try {
      const started = Date.now()
      expect(await collect(listTags(client, parseRepository(`127.0.0.1:${port}/team/app`)))).to.deep.equal(['x'])
      expect(Date.now() - started).to.be.greaterThanOrEqual(900)
      expect(calls).to.equal(2)
    } finally {
      await client.close()
      server.close()
    }
  })

  it('gives up on a 429 storm after the bounded retries, with the rate-limit exit code', async () => {
    const {pool, client} = setup()
    pool
      .intercept({path: '/v2/team/app/tags/list?n=1000'})
      .reply(429, {errors: [{code: 'TOOMANYREQUESTS', message: 'slow down'}]}, json)
      .times(4)
    const error = await failure(collect(listTags(client, repo)))
    expect(error.exitCode).to.equal(ExitCode.rateLimited)
    expect(error.message).to.contain('TOOMANYREQUESTS slow down')
    await client.close()
  })

  it('retries a connection reset, and reports one that persists as a network error', async () => {
    const {pool, client} = setup()
    const reset = () => Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).replyWithError(reset())
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(200, {tags: ['ok']}, json)
    expect(await collect(listTags(client, repo))).to.deep.equal(['ok'])
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).replyWithError(reset()).times(4)
    const error = await failure(collect(listTags(client, repo)))
    expect(error.exitCode).to.equal(ExitCode.network)
    expect(error.message).to.contain('connection reset')
    await client.close()
  })

  it('never retries a DELETE (it may have succeeded)', async () => {
    const {pool, client} = setup()
    pool.intercept({path: '/v2/team/app/manifests/sha256:x', method: 'DELETE'}).reply(503, 'busy')
    pool.intercept({path: '/v2/team/app/manifests/sha256:x', method: 'DELETE'}).reply(202, '')
    const error = await failure(
      client.fetch({method: 'DELETE', path: '/v2/team/app/manifests/sha256:x', scopes: [], subject: {action: 'delete'}}),
    )
    expect(error.exitCode).to.equal(ExitCode.serverError)
    await client.close()
  })

  it('reports malformed JSON and wrong shapes as bad responses', async () => {
    const {pool, client} = setup()
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(200, '{"tags": [', json)
    expect((await failure(collect(listTags(client, repo)))).message).to.equal('127.0.0.1:5999 sent malformed JSON (list tags)')
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(200, {tags: [1, 2]}, json)
    const shape = await failure(collect(listTags(client, repo)))
    expect(shape.exitCode).to.equal(ExitCode.badResponse)
    expect(shape.message).to.contain('not a list of strings')
    await client.close()
  })

  it('follows tag pages by relative and absolute Link headers, Harbor/GHCR style', async () => {
    const {pool, client} = setup()
    pool
      .intercept({path: '/v2/team/app/tags/list?n=2'})
      .reply(200, {tags: ['a', 'b']}, {headers: {link: '</v2/team/app/tags/list?last=b&n=2>; rel="next"'}})
    pool
      .intercept({path: '/v2/team/app/tags/list?last=b&n=2'})
      .reply(200, {tags: ['c', 'd']}, {headers: {link: `<${ORIGIN}/v2/team/app/tags/list?last=d&n=2>; rel="next"`}})
    pool.intercept({path: '/v2/team/app/tags/list?last=d&n=2'}).reply(200, {tags: ['e']})
    expect(await collect(listTags(client, repo, {pageSize: 2}))).to.deep.equal(['a', 'b', 'c', 'd', 'e'])
    await client.close()
  })

  it('stops on a pagination loop instead of spinning forever', async () => {
    const {pool, client} = setup()
    pool
      .intercept({path: '/v2/team/app/tags/list?n=2'})
      .reply(200, {tags: ['a']}, {headers: {link: '</v2/team/app/tags/list?n=2>; rel="next"'}})
    expect((await failure(collect(listTags(client, repo, {pageSize: 2})))).message).to.contain('pagination loop')
    await client.close()
  })

  it('treats "tags": null (all tags deleted) as an empty list', async () => {
    const {pool, client} = setup()
    pool.intercept({path: '/v2/team/app/tags/list?n=1000'}).reply(200, {name: 'team/app', tags: null})
    expect(await collect(listTags(client, repo))).to.deep.equal([])
    await client.close()
  })

  it('explains a registry without a catalog (Docker Hub) and one that restricts it (Harbor)', async () => {
    const {pool, client} = setup()
    pool.intercept({path: '/v2/_catalog?n=1000'}).reply(404, '')
    const missing = await failure(collect(listRepositories(client)))
    expect(missing.exitCode).to.equal(ExitCode.unsupported)
    expect(missing.message).to.contain('offers no repository catalog')
    pool.intercept({path: '/v2/_catalog?n=1000'}).reply(403, {errors: [{code: 'DENIED', message: 'not admin'}]})
    const restricted = await failure(collect(listRepositories(client)))
    expect(restricted.exitCode).to.equal(ExitCode.denied)
    expect(restricted.message).to.contain('admins only')
    await client.close()
  })

  it('rejects a page size the registry would refuse, before any request', async () => {
    const {client} = setup()
    const error = await failure(collect(listRepositories(client, {pageSize: 1001})))
    expect(error.exitCode).to.equal(ExitCode.usage)
    await client.close()
  })
})
