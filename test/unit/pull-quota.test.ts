import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'

import {orderByCreated} from '../../src/image/tags.js'
import {RegistryClient} from '../../src/registry/client.js'
import {ChallengeAuthenticator} from '../../src/registry/auth/authenticator.js'
import {probeRegistry} from '../../src/registry/probe.js'
import {describePullQuota, quotaShortfall, readPullQuota} from '../../src/registry/rate-limit.js'
import {describeRequests, RequestCounter} from '../../src/registry/transport/log.js'

/**
 * A test double of Docker Hub's quota headers, written from Docker's documentation of them
 * (`ratelimit-limit: 100;w=21600`, `ratelimit-remaining`, `docker-ratelimit-source`, sent on manifest
 * requests). No network here: this is not the live Hub.
 */
function startHubDouble(): Promise<{server: Server; url: string; seen: string[]}> {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`)
    if (req.url === '/v2/') {
      res.writeHead(200, {'docker-distribution-api-version': 'registry/2.0'}).end('{}')
      return
    }
    if (req.url?.startsWith('/v2/ratelimitpreview/test/manifests/')) {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': `sha256:${'a'.repeat(64)}`,
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '76;w=21600',
        'docker-ratelimit-source': '192.0.2.7',
      })
      res.end()
      return
    }
    res.writeHead(404, {'content-type': 'application/json'}).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen})),
  )
}

describe('pull quota (Docker Hub rate-limit headers)', () => {
  let hub: Awaited<ReturnType<typeof startHubDouble>>
  before(async () => (hub = await startHubDouble()))
  after(() => new Promise((resolve) => hub.server.close(resolve)))
  beforeEach(() => (hub.seen.length = 0))

  const hubEndpoint = () => ({host: 'docker.io', url: hub.url, insecure: false})

  it('reads the quota with a HEAD, which Docker Hub does not count as a pull', async () => {
    const client = new RegistryClient(hubEndpoint())
    try {
      const quota = await readPullQuota(client, {registry: 'docker.io', repository: 'ratelimitpreview/test'})
      expect(quota).to.deep.equal({limit: 100, remaining: 76, windowSeconds: 21600, source: '192.0.2.7'})
      expect(hub.seen).to.deep.equal(['HEAD /v2/ratelimitpreview/test/manifests/latest'])
    } finally {
      await client.close()
    }
  })

  it("registry test on Docker Hub reports the quota from Docker's documented repository", async () => {
    const endpoint = hubEndpoint()
    const authenticator = new ChallengeAuthenticator({endpoint})
    const client = new RegistryClient(endpoint, {authenticator})
    try {
      const report = await probeRegistry(client, authenticator)
      expect(report.pullQuota).to.deep.equal({limit: 100, remaining: 76, windowSeconds: 21600, source: '192.0.2.7'})
      expect(hub.seen).to.include('HEAD /v2/ratelimitpreview/test/manifests/latest')
      expect(hub.seen.filter((line) => line.startsWith('GET /v2/ratelimitpreview'))).to.deep.equal([])
    } finally {
      await client.close()
    }
  })

  it('a registry that announces no quota gives null, not an error', async () => {
    const client = new RegistryClient({host: '127.0.0.1', url: hub.url, insecure: false})
    try {
      expect(await readPullQuota(client, {registry: '127.0.0.1', repository: 'team/app'})).to.equal(null)
    } finally {
      await client.close()
    }
  })

  it('warns when the planned GETs exceed what is left, and says the quota in words', () => {
    const quota = {limit: 100, remaining: 12, windowSeconds: 21600, source: null}
    expect(describePullQuota(quota)).to.equal('12 of 100 pulls left (6 h window)')
    expect(quotaShortfall(quota, 12)).to.equal(undefined)
    expect(quotaShortfall(quota, 40)).to.match(/needs about 40 manifest GETs.*12 of 100 pulls left/)
  })
})

describe('tag order by creation time', () => {
  const rows = [
    {name: 'b', created: '2023-01-01T00:00:00Z'},
    {name: 'none', created: null},
    {name: 'a', created: '2024-01-01T00:00:00+02:00'},
    {name: 'c', created: '2023-01-01T00:00:00Z'},
    {name: 'junk', created: 'not a date'},
  ]

  it('puts the newest first, ties by name, undated and unreadable dates last', () => {
    expect(orderByCreated(rows).map((row) => row.name)).to.deep.equal(['a', 'b', 'c', 'junk', 'none'])
  })

  it('reversed, puts the oldest first and still keeps undated rows last', () => {
    expect(orderByCreated(rows, {reverse: true}).map((row) => row.name)).to.deep.equal(['b', 'c', 'a', 'junk', 'none'])
  })
})

describe('request cost line (--verbose)', () => {
  it('counts requests by method', () => {
    const counter = new RequestCounter()
    for (const method of ['GET', 'GET', 'HEAD']) counter.record(method)
    expect(describeRequests(counter)).to.equal('3 requests (2 GET, 1 HEAD)')
  })
})
