import {writeFileSync} from 'node:fs'
import {createServer as createHttpServer} from 'node:http'
import {createServer, type Server} from 'node:net'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {ExitCode, RegistryError} from '../../src/errors.js'
import {RegistryClient} from '../../src/registry/client.js'
import {endpointFromUrl} from '../../src/registry/endpoint.js'
import {DEFAULT_RETRY_POLICY, worstCaseMs} from '../../src/registry/transport/retry.js'
import {runCli, runCliProcess} from '../helpers/cli.js'

/**
 * Servers that accept a connection and never answer, or break off in the middle of a body: no real
 * registry does this on demand, so these are plain sockets on 127.0.0.1 (distribution spec paths only).
 */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** A server that accepts connections, counts them and never answers. */
function silentServer(): {server: Server; connections: () => number; close: () => Promise<void>} {
  const sockets = new Set<import('node:net').Socket>()
  let connections = 0
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('data', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  return {
    server,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return stop(server)
    },
  }
}

describe('--timeout, and failures in the middle of a body', function () {
  this.timeout(120_000)
  const tries = DEFAULT_RETRY_POLICY.maxRetries + 1
  let silent: ReturnType<typeof silentServer>
  let silentHost: string

  beforeEach(async () => {
    silent = silentServer()
    silentHost = await listen(silent.server)
  })
  afterEach(() => silent.close())

  it(`a silent server costs ${tries} tries of the per-try timeout plus the documented backoff, then exit 4`, async () => {
    const client = new RegistryClient(endpointFromUrl(silentHost), {transport: {timeoutMs: 1000}})
    const started = Date.now()
    try {
      await client.fetch({method: 'GET', path: '/v2/', scopes: [], subject: {action: 'check the API'}})
      expect.fail('a silent server answered')
    } catch (error) {
      expect(error).to.be.instanceOf(RegistryError)
      expect((error as RegistryError).exitCode).to.equal(ExitCode.network)
      expect((error as RegistryError).message).to.contain('no response in time')
    } finally {
      await client.close()
    }
    const elapsed = Date.now() - started
    expect(silent.connections()).to.equal(tries)
    expect(elapsed).to.be.within(tries * 1000, worstCaseMs(DEFAULT_RETRY_POLICY, 1000) + 500)
  })

  it('--timeout 1, REGLENS_TIMEOUT=1 and `timeout: 1` in the config all bound the CLI the same way', async () => {
    const config = join(tmpdir(), `reglens-timeout-${process.pid}.yaml`)
    writeFileSync(config, 'timeout: 1\n')
    const bound = worstCaseMs(DEFAULT_RETRY_POLICY, 1000) + 10_000 // + the CLI's start-up on a loaded machine
    // The three run side by side as processes, each against a silent server of its own to count its connections.
    const variants: [string[], Record<string, string>][] = [
      [['--timeout', '1'], {}],
      [[], {REGLENS_TIMEOUT: '1'}],
      [['--config', config], {}],
    ]
    await Promise.all(
      variants.map(async ([args, env]) => {
        const server = silentServer()
        const host = await listen(server.server)
        try {
          const started = Date.now()
          const result = await runCliProcess(['tags', 'list', `${host}/team/app`, ...args], {env})
          expect(result.code, result.stderr).to.equal(ExitCode.network)
          expect(result.stderr.trim().split('\n')).to.have.length(1)
          expect(result.stderr).to.contain('no response in time')
          expect(Date.now() - started).to.be.below(bound)
          // A loopback host named without a scheme is first asked for a TLS handshake (one connection,
          // bounded by the same timeout), then tried over plain HTTP.
          expect(server.connections(), args.join(' ') || JSON.stringify(env)).to.equal(1 + tries)
        } finally {
          await server.close()
        }
      }),
    )
  })

  it('a --timeout that is no positive number of seconds is a usage error', async () => {
    for (const value of ['0', 'soon', '-3']) {
      const result = await runCli(['tags', 'list', `${silentHost}/team/app`, `--timeout=${value}`])
      expect(result.code, result.stderr).to.equal(ExitCode.usage)
      expect(result.stderr).to.contain('--timeout').and.contain('must be a number of seconds')
      expect(result.stderr.trim().split('\n')).to.have.length(1)
    }
    expect(silent.connections()).to.equal(0)
  })

  it('a reset in the middle of a body is exit 4 (network), not 12; so is a body that stalls past --timeout', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(200, {'content-type': 'application/json', 'content-length': '4096'})
      res.write('{"name":"team/app","tags":["v1",')
      if (req.url?.includes('/reset/')) setTimeout(() => res.socket?.destroy(), 20)
    })
    const host = await listen(server)
    try {
      const reset = await runCli(['tags', 'list', `${host}/reset/app`, '--timeout', '5'])
      expect(reset.code, reset.stderr).to.equal(ExitCode.network)
      expect(reset.stderr.trim().split('\n')).to.have.length(1)
      expect(reset.stderr).to.contain('connection was lost mid-body')
      const stall = await runCli(['tags', 'list', `${host}/stall/app`, '--timeout', '1'])
      expect(stall.code, stall.stderr).to.equal(ExitCode.network)
      expect(stall.stderr).to.contain('stalled mid-body')
    } finally {
      server.closeAllConnections()
      await stop(server)
    }
  })
})
