import {connect} from 'node:net'

import type {RegistryEndpoint} from './endpoint.js'

/**
 * Settles the scheme of a loopback registry named without one (`127.0.0.1:5000`), as Docker does:
 * HTTPS when the port answers TLS, plain HTTP otherwise. Nothing about the certificate is decided here:
 * the requests that follow check it, and an untrusted one is then exit 5 with its hint.
 */
export async function settleScheme(endpoint: RegistryEndpoint, timeoutMs: number): Promise<RegistryEndpoint> {
  const {probeTls, ...settled} = endpoint
  if (!probeTls) return endpoint
  const {hostname, port} = new URL(endpoint.url)
  const tls = await speaksTls(hostname.replace(/^\[|\]$/g, ''), Number(port || 443), timeoutMs)
  return tls ? {...settled, url: `https://${new URL(endpoint.url).host}`} : settled
}

const u16 = (value: number) => [value >> 8, value & 0xff]
const vector16 = (bytes: number[]) => [...u16(bytes.length), ...bytes]
const extension = (type: number, body: number[]) => [...u16(type), ...vector16(body)]

/**
 * A TLS ClientHello (RFC 8446 §4.1.2) offering TLS 1.3 and 1.2 with the usual suites, groups and
 * signature schemes. Built here rather than with node:tls: loading node:tls and its crypto costs a
 * plain-HTTP registry ~15 ms of every start, and the probe only needs the server's first byte.
 * Its random is fixed: no handshake is ever completed with it.
 */
export function clientHello(): Buffer {
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d, 0x002f, 0x0035]
  const extensions = [
    ...extension(0x000a, vector16([0x001d, 0x0017, 0x0018].flatMap(u16))), // supported_groups: x25519, P-256, P-384
    ...extension(0x000b, [1, 0]), // ec_point_formats: uncompressed
    // signature_algorithms: ECDSA P-256/P-384, RSA-PSS, RSA PKCS#1 with SHA-256/384/512
    ...extension(0x000d, vector16([0x0403, 0x0503, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601].flatMap(u16))),
    ...extension(0x002b, [4, ...u16(0x0304), ...u16(0x0303)]), // supported_versions: TLS 1.3, 1.2
    // key_share with no share: TLS 1.3 requires the extension; a server answers with a HelloRetryRequest.
    ...extension(0x0033, vector16([])),
  ]
  const body = [...u16(0x0303), ...new Array<number>(32).fill(0x2a), 0, ...vector16(suites.flatMap(u16)), 1, 0, ...vector16(extensions)]
  const handshake = [1, 0, ...u16(body.length), ...body]
  return Buffer.from([0x16, 3, 1, ...u16(handshake.length), ...handshake])
}

/**
 * Whether a server's first bytes are a TLS record: a handshake (ServerHello, HelloRetryRequest) or an
 * alert, both with major version 3. A plain-HTTP server answers `HTTP/1.1 400` or closes.
 */
export function isTlsRecord(bytes: Buffer): boolean {
  return bytes.length >= 2 && (bytes[0] === 0x16 || bytes[0] === 0x15) && bytes[1] === 3
}

/** True when host:port answers a ClientHello with TLS; false on anything else (plain HTTP, refused, silence). */
function speaksTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port, timeout: timeoutMs})
    let received = Buffer.alloc(0)
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.once('connect', () => socket.write(clientHello()))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 2) done(isTlsRecord(received))
    })
    socket.once('end', () => done(isTlsRecord(received)))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}
