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
    '/v2/bad/digest/manifests/v1': {type: MediaType.ociManifest, body: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}', digest: `sha256:${'0'.repeat(64)}`},
    '/v2/bad/type/manifests/v1': {type: 'application/vnd.example.unknown+json', body: '{"schemaVersion":2,"mediaType":"application/vnd.example.unknown+json"}'},
  }

  before(async () => {
    server = createServer((request, response) => {
      const served = bodies[request.url ?? '']
      if (!served) {
        response.writeHead(request.url === '/v2/' ? 200 : 404, {'content-type': 'application/json'}).end('{}')
        return
      }
      response.writeHead(200, {'content-type': served.type, ...(served.digest ? {'docker-content-digest': served.digest} : {})}).end(served.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const cases: [string, RegExp][] = [
    ['bad/json:v1', /^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/json:v1: body is not JSON$/],
    ['bad/digest:v1', /^reglens: manifest 127\.0\.0\.1:\d+\/bad\/digest:v1 failed verification: registry says sha256:0{64}, content is sha256:[0-9a-f]{64}$/],
    ['bad/type:v1', /^reglens: invalid manifest 127\.0\.0\.1:\d+\/bad\/type:v1: unknown media type "application\/vnd\.example\.unknown\+json"$/],
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
})
