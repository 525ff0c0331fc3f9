import {expect} from 'chai'

import {ExitCode, RegistryError} from '../../src/errors.js'
import {listRepositories} from '../../src/registry/catalog.js'
import {pushBlob} from '../../src/registry/push.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {authedClient} from '../helpers/auth.js'
import {runCli} from '../helpers/cli.js'
import {type Listener, startListener} from '../helpers/listeners.js'

/**
 * A registry that hands back URLs on another origin (next-page Links, upload Locations) is a test
 * double: the real registry never does. It follows the distribution spec (Basic challenge, `Link:
 * <…>; rel="next"`, `202 Accepted` with `Location` for uploads) on 127.0.0.1 and points at a second
 * listener on 127.0.0.2, which records whether anything reached it and with which Authorization.
 */
describe('URLs handed back by a registry never take its credentials to another origin (127.0.0.1 → 127.0.0.2)', function () {
  const user = {username: 'alice', password: 'origin-secret'}
  const basic = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`
  let other: Listener
  let registry: Listener

  before(async () => {
    // Anything answered by the other origin is a made-up page; it must never reach the output.
    other = await startListener('127.0.0.2', (_req, res) =>
      res.writeHead(200, {'content-type': 'application/json'}).end('{"repositories":["stolen"],"tags":["stolen"]}'),
    )
    registry = await startListener('127.0.0.1', (req, res) => {
      if (req.headers.authorization !== basic) {
        res
          .writeHead(401, {'www-authenticate': 'Basic realm="double"', 'content-type': 'application/json'})
          .end('{"errors":[{"code":"UNAUTHORIZED"}]}')
        return
      }
      const json = {'content-type': 'application/json'}
      if (req.url?.startsWith('/v2/_catalog')) {
        res.writeHead(200, {...json, link: `<${other.url}/v2/_catalog?last=app&n=1000>; rel="next"`}).end('{"repositories":["team/app"]}')
      } else if (req.url?.startsWith('/v2/team/app/tags/list')) {
        res
          .writeHead(200, {...json, link: `<${other.url}/v2/team/app/tags/list?last=v1&n=1000>; rel="next"`})
          .end('{"name":"team/app","tags":["v1"]}')
      } else if (req.method === 'HEAD' && req.url?.startsWith('/v2/team/app/blobs/')) {
        res.writeHead(404).end()
      } else if (req.method === 'POST' && req.url === '/v2/team/app/blobs/uploads/') {
        res.writeHead(202, {location: `${other.url}/v2/team/app/blobs/uploads/session-1`, 'content-length': '0'}).end()
      } else {
        res.writeHead(404, json).end('{"errors":[{"code":"NOT_FOUND"}]}')
      }
    })
  })
  after(async () => {
    await registry?.stop()
    await other?.stop()
  })
  beforeEach(() => {
    other.requests.length = 0
  })

  async function refusal(run: () => Promise<unknown>): Promise<RegistryError> {
    try {
      await run()
    } catch (error) {
      expect(error).to.be.instanceOf(RegistryError)
      return error as RegistryError
    }
    throw new Error('expected the other origin to be refused')
  }

  async function drain(items: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = []
    for await (const item of items) out.push(item)
    return out
  }

  const repository = () => parseRepository(`${registry.host}/team/app`)

  it('a tags/list next-page Link to 127.0.0.2 is refused with exit 12, and 127.0.0.2 hears nothing', async () => {
    const {client} = authedClient(registry.url, user)
    try {
      const error = await refusal(() => drain(listTags(client, repository())))
      expect(error.exitCode).to.equal(ExitCode.badResponse)
      expect(error.message).to.contain(`next-page link (list tags) on another origin (${other.url})`)
    } finally {
      await client.close()
    }
    expect(other.requests).to.deep.equal([])
  })

  it('a _catalog next-page Link to 127.0.0.2 is refused the same way', async () => {
    const {client} = authedClient(registry.url, user)
    try {
      const error = await refusal(() => drain(listRepositories(client)))
      expect(error.exitCode).to.equal(ExitCode.badResponse)
      expect(error.message).to.contain(`on another origin (${other.url})`)
    } finally {
      await client.close()
    }
    expect(other.requests).to.deep.equal([])
  })

  it('a blob upload Location on 127.0.0.2 is refused before the blob (or the credentials) go there', async () => {
    const {client} = authedClient(registry.url, user)
    try {
      const error = await refusal(() => pushBlob(client, repository(), Buffer.from('layer bytes')))
      expect(error.exitCode).to.equal(ExitCode.badResponse)
      expect(error.message).to.contain(`blob upload location on another origin (${other.url})`)
    } finally {
      await client.close()
    }
    expect(other.requests).to.deep.equal([])
  })

  it('the CLI prints one line, exit 12, no made-up tag on stdout (tags list and repos list)', async () => {
    for (const args of [
      ['tags', 'list', `${registry.host}/team/app`],
      ['repos', 'list', '-r', registry.host],
    ]) {
      const result = await runCli([...args, '--username', user.username, '--password-stdin'], {
        input: user.password,
        env: {DOCKER_CONFIG: '/nonexistent-docker-config'},
      })
      expect(result.code, result.stderr).to.equal(ExitCode.badResponse)
      expect(result.stdout).to.not.contain('stolen')
      expect(result.stderr.trim().split('\n')).to.have.length(1)
      expect(result.stderr).to.contain(`on another origin (${other.url}); not followed`)
    }
    expect(other.requests).to.deep.equal([])
  })
})
