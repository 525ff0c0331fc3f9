import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface RecordedRequest {
  method: string
  url: string
  authorization?: string
}

export interface Listener {
  /** `http://HOST:PORT`. */
  url: string
  host: string
  requests: RecordedRequest[]
  stop(): Promise<void>
}

/**
 * A plain HTTP listener on one loopback address that records every request it receives (and the
 * Authorization it carried), answering through `handle` (by default an empty 200).
 */
export async function startListener(address: string, handle?: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listener> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.authorization ? {authorization: req.headers.authorization} : {}),
    })
    req.resume()
    req.on('end', () => {
      if (handle) handle(req, res)
      else res.writeHead(200, {'content-type': 'application/json'}).end('{}')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, address, resolve)
  })
  const {port} = server.address() as AddressInfo
  return {
    url: `http://${address}:${port}`,
    host: `${address}:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
