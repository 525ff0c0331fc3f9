import {createHash} from 'node:crypto'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'

import {ExitCode} from '../../src/errors.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {runCli} from '../helpers/cli.js'

/** A registry that lies (a real one will not): the CLI must answer each lie with one line and exit 12. */
describe('image commands over a registry serving malformed manifests', () => {
  let server: Server
  let host: string
  const bodies: Record<string, {type: string; body: string; digest?: string}> = {
    '/v2/bad/json/manifests/v1': {type: MediaType.ociManifest, body: '{"schemaVersion": 2,'},
    '/v2/bad/digest/manifests/v1': {
      type: MediaType.ociManifest,
      body: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}',
      digest: `sha256:${'0'.repeat(64)}`,
    },
    '/v2/bad/type/manifests/v1': {
      type: 'application/vnd.example.unknown+json',
      body: '{"schemaVersion":2,"mediaType":"application/vnd.example.unknown+json"}',
    },
  }

  // A repository with one good and one broken tag, for the listings' partial failures.
  const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`
  const config = JSON.stringify({os: 'linux', architecture: 'amd64', created: '2024-01-01T00:00:00Z'})
  const good = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: {mediaType: MediaType.ociConfig, digest: sha(config), size: config.length},
    layers: [],
  })
  const broken = 'not json'
  bodies['/v2/bad/mixed/tags/list?n=1000'] = {type: 'application/json', body: JSON.stringify({name: 'bad/mixed', tags: ['good', 'broken']})}
  bodies['/v2/_catalog?n=1000'] = {type: 'application/json', body: JSON.stringify({repositories: ['bad/mixed']})}
  for (const [tag, body] of [
    ['good', good],
    ['broken', broken],
  ]) {
    bodies[`/v2/bad/mixed/manifests/${tag}`] = {type: MediaType.ociManifest, body, digest: sha(body)}
    bodies[`/v2/bad/mixed/manifests/${sha(body)}`] = {type: MediaType.ociManifest, body, digest: sha(body)}
  }
  bodies[`/v2/bad/mixed/blobs/${sha(config)}`] = {type: 'application/octet-stream', body: config}

  before(async () => {
    server = createServer((request, response) => {
      const served = bodies[request.url ?? '']
      if (!served) {
        response.writeHead(request.url === '/v2/' ? 200 : 404, {'content-type': 'application/json'}).end('{}')
        return
      }
      response.writeHead(200, {
        'content-type': served.type,
        'content-length': Buffer.byteLength(served.body),
        ...(served.digest ? {'docker-content-digest': served.digest} : {}),
      })
      response.end(request.method === 'HEAD' ? undefined : served.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const cases: [string, RegExp][] = [
    ['bad/json:v1', /^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/json:v1: body is not JSON$/],
    [
      'bad/digest:v1',
      /^reglens: manifest 127\.0\.0\.1:\d+\/bad\/digest:v1 failed verification: registry says sha256:0{64}, content is sha256:[0-9a-f]{64}$/,
    ],
    [
      'bad/type:v1',
      /^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/type:v1: unknown media type "application\/vnd\.example\.unknown\+json"$/,
    ],
  ]
  for (const [ref, message] of cases) {
    it(`${ref}: image inspect and image size print one line and exit with bad-response (12)`, async () => {
      for (const command of ['inspect', 'size']) {
        const result = await runCli(['image', command, `${host}/${ref}`])
        expect(result.code, result.stderr).to.equal(ExitCode.badResponse)
        expect(result.stdout).to.equal('')
        expect(result.stderr.trimEnd()).to.match(message)
      }
    })
  }

  it('a broken tag in tags list --details, image size --all-tags and repos list --size is reported, the rest listed, exit 13', async () => {
    const runs = [
      ['tags', 'list', `${host}/bad/mixed`, '--details', '--json'],
      ['image', 'size', `${host}/bad/mixed`, '--all-tags', '--json'],
    ]
    for (const args of runs) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).to.equal(ExitCode.partial)
      const doc = JSON.parse(result.stdout)
      expect(doc.tags.map((tag: {name: string}) => tag.name)).to.deep.equal(['broken', 'good'])
      expect(doc.tags[0].error).to.match(/body is not JSON/)
      expect(doc.tags[1]).to.include({created: '2024-01-01T00:00:00Z', size: config.length})
      // The message names host/bad/mixed:broken already: the failure line does not repeat the tag before it.
      expect(result.stderr).to.match(/^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/mixed:broken: body is not JSON$/m)
      expect(result.stderr).to.match(/reglens: 1 of 2 tags could not be (sized|described)\n$/)
    }
    const repos = await runCli(['repos', 'list', '-r', host, '--size', '--json'])
    expect(repos.code).to.equal(ExitCode.partial)
    expect(repos.stderr).to.match(/^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/mixed:broken: body is not JSON$/m)
    expect(repos.stderr).to.contain('reglens: 1 of 2 tags could not be sized')
    const doc = JSON.parse(repos.stdout)
    expect(doc.repositories).to.deep.equal([
      {name: 'bad/mixed', tags: 2, size: config.length, blobs: 1, failed: [{tag: 'broken', error: doc.repositories[0].failed[0].error}]},
    ])
    expect(doc.size).to.equal(config.length)
  })
})
