import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {createServer as createHttpServer} from 'node:http'
import {type AddressInfo, connect, createServer as createNetServer, type Server} from 'node:net'
import {createServer as createTlsServer, type SecureVersion} from 'node:tls'

import {endpointFromUrl} from '../../src/registry/endpoint.js'
import {clientHello, isTlsRecord, settleScheme} from '../../src/registry/scheme.js'
import {makePki, type TestPki} from '../helpers/pki.js'

// The scheme probe of a loopback host named without one sends its own ClientHello over a plain socket.
// Node's TLS server stands in for a registry's here; the real registry's (Go's) TLS is in integration/tls.test.ts.
describe('settling the scheme of a loopback host named without one', () => {
  let pki: TestPki
  const servers: Server[] = []

  before(() => {
    pki = makePki()
  })

  after(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    pki.cleanup()
  })

  async function listening(server: Server): Promise<string> {
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  const tlsServer = (options: {minVersion?: SecureVersion; maxVersion?: SecureVersion; requestCert?: boolean} = {}) =>
    createTlsServer({key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert), ...options}, (socket) => socket.end())

  const settled = async (host: string) => (await settleScheme(endpointFromUrl(host), 2000)).url

  it('a real TLS stack answers the hand-built ClientHello with a handshake record, not an alert', async () => {
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      const host = await listening(tlsServer({minVersion: version, maxVersion: version}))
      const [hostname, port] = host.split(':')
      const first = await new Promise<Buffer>((resolve, reject) => {
        const socket = connect({host: hostname, port: Number(port)}, () => socket.write(clientHello()))
        socket.once('data', (chunk: Buffer) => {
          socket.destroy()
          resolve(chunk)
        })
        socket.once('error', reject)
      })
      expect(first[0], version).to.equal(0x16)
      expect(first[1], version).to.equal(3)
    }
  })

  it('picks https for TLS 1.2, TLS 1.3 and a server asking for a client certificate', async () => {
    for (const options of [{maxVersion: 'TLSv1.2' as const}, {minVersion: 'TLSv1.3' as const}, {requestCert: true}]) {
      const host = await listening(tlsServer(options))
      expect(await settled(host), JSON.stringify(options)).to.equal(`https://${host}`)
    }
  })

  it('keeps http for a plain-HTTP server, one that closes at once, and a refused port', async () => {
    const http = await listening(createHttpServer((_req, res) => res.end()) as unknown as Server)
    expect(await settled(http)).to.equal(`http://${http}`)
    const closing = await listening(createNetServer((socket) => socket.destroy()))
    expect(await settled(closing)).to.equal(`http://${closing}`)
    const refused = await listening(createNetServer())
    await new Promise((resolve) => servers.pop()!.close(resolve))
    expect(await settled(refused)).to.equal(`http://${refused}`)
  })

  it('reads only a TLS record header as TLS', () => {
    expect(isTlsRecord(Buffer.from([0x16, 3, 3, 0, 0x7a]))).to.equal(true)
    expect(isTlsRecord(Buffer.from([0x15, 3, 1, 0, 2]))).to.equal(true)
    expect(isTlsRecord(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).to.equal(false)
    expect(isTlsRecord(Buffer.from([0x16]))).to.equal(false)
  })
})
