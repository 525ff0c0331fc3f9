import {createServer, request as forward, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A plain HTTP proxy on 127.0.0.1 in front of a real registry that lets a test act on a request
 * (send a signal to the CLI, hold the request back) before passing it on unchanged. The Host header
 * is kept, so the registry's Location URLs point back through the proxy.
 */
export interface DelayingProxy {
  host: string
  /** Called for each request before it is forwarded; the request waits for the returned promise. 'drop' never forwards it. */
  onRequest?: (request: IncomingMessage) => Promise<void | 'drop'> | void | 'drop'
  close(): Promise<void>
}

export async function startDelayingProxy(target: {port: number}): Promise<DelayingProxy> {
  const proxy: DelayingProxy = {host: '', close: async () => {}}
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      if ((await proxy.onRequest?.(incoming)) === 'drop') {
        outgoing.destroy()
        return
      }
      const upstream = forward(
        {host: '127.0.0.1', port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers},
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(outgoing)
        },
      )
      upstream.on('error', () => outgoing.destroy())
      incoming.pipe(upstream)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(() => resolve()))
  }
  return proxy
}
