import {connect} from 'node:tls'

import type {RegistryEndpoint} from './endpoint.js'

/**
 * Settles the scheme of a loopback registry named without one (`127.0.0.1:5000`), as Docker does:
 * HTTPS when the port completes a TLS handshake, plain HTTP otherwise. The handshake does not check
 * the certificate: the requests that follow do, and an untrusted one is then exit 5 with its hint.
 */
export async function settleScheme(endpoint: RegistryEndpoint, timeoutMs: number): Promise<RegistryEndpoint> {
  const {probeTls, ...settled} = endpoint
  if (!probeTls) return endpoint
  const {hostname, port} = new URL(endpoint.url)
  const tls = await speaksTls(hostname.replace(/^\[|\]$/g, ''), Number(port || 443), timeoutMs)
  return tls ? {...settled, url: `https://${new URL(endpoint.url).host}`} : settled
}

/** True when host:port completes a TLS handshake; false on any failure (plain HTTP, refused, silence). */
function speaksTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port, rejectUnauthorized: false, timeout: timeoutMs})
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.once('secureConnect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}
