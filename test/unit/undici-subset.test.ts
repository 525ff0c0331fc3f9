import {createServer, type Server} from 'node:http'
import {createRequire} from 'node:module'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'
import * as undici from 'undici'

// The CLI bundle replaces `undici` by scripts/bundle/undici-subset.cjs, which requires undici's own
// files. An upgrade that moves them, or makes them differ from the package's exports, fails here.
const subset = createRequire(import.meta.url)('../../scripts/bundle/undici-subset.cjs') as {
  Agent: unknown
  interceptors: {redirect: unknown; retry: unknown}
  request: typeof undici.request
}

describe('the undici subset the CLI bundle uses', () => {
  let server: Server
  let origin: string
  before(async () => {
    server = createServer((req, res) => {
      res.setHeader('x-seen', `${req.method} ${req.url}`)
      res.end(req.method === 'HEAD' ? undefined : 'body')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('exports the same Agent and interceptors as the undici package', () => {
    expect(subset.Agent).to.equal(undici.Agent)
    expect(subset.interceptors.retry).to.equal(undici.interceptors.retry)
    expect(subset.interceptors.redirect).to.equal(undici.interceptors.redirect)
  })

  it('request sends path, query and method as undici.request does, through the given dispatcher', async () => {
    const dispatcher = new undici.Agent()
    try {
      for (const send of [subset.request, undici.request]) {
        const response = await send(`${origin}/v2/a/tags/list?n=2&last=x`, {dispatcher, method: 'GET'})
        expect(response.statusCode).to.equal(200)
        expect(response.headers['x-seen']).to.equal('GET /v2/a/tags/list?n=2&last=x')
        expect(await response.body.text()).to.equal('body')
      }
      const head = await subset.request(`${origin}/v2/`, {dispatcher, method: 'HEAD'})
      expect(head.headers['x-seen']).to.equal('HEAD /v2/')
      await head.body.dump()
    } finally {
      await dispatcher.close()
    }
  })

  it('request refuses to fall back to a global dispatcher', () => {
    expect(() => subset.request('http://127.0.0.1/', {} as never)).to.throw(TypeError, /dispatcher/)
  })
})
