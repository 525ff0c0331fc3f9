import {createServer, type Server} from 'node:net'
import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {ExitCode} from '../../src/errors.js'
import {runCli} from '../helpers/cli.js'

/** A TCP listener that only counts connections: "refused before any request" means it sees none. */
async function connectionCounter(): Promise<{server: Server; host: string; connections: () => number}> {
  let count = 0
  const server = createServer((socket) => {
    count++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('no address')
  return {server, host: `127.0.0.1:${address.port}`, connections: () => count}
}

describe('retention rules that cannot surprise', () => {
  it('--keep-last 0 and keep_last: 0 are refused with exit 2 before any request, saying how to delete everything', async () => {
    const counter = await connectionCounter()
    try {
      const flag = await runCli(['image', 'delete', `${counter.host}/team/app`, '--keep-last', '0', '--yes'])
      expect(flag.code).to.equal(ExitCode.usage)
      expect(flag.stderr).to.equal("reglens: --keep-last 0 would delete every image; to delete every tag on purpose, say so with --match '.*' and no keep rule\n")
      const tags = await runCli(['image', 'delete', `${counter.host}/team/app`, '--keep-last-tags', '0', '--yes'])
      expect(tags.code).to.equal(ExitCode.usage)
      const policy = join(tmpdir(), `reglens-zero-${process.pid}.yaml`)
      writeFileSync(policy, 'rules:\n  - keep_last: 0\n')
      const fromPolicy = await runCli(['image', 'delete', '--policy', policy, '-r', counter.host, '--yes'])
      expect(fromPolicy.code).to.equal(ExitCode.usage)
      expect(fromPolicy.stderr).to.equal(`reglens: policy ${policy}: rules[0].keep_last: 0 would delete every image; to delete every tag on purpose, say so with match: '.*' and no keep rule\n`)
      expect(counter.connections()).to.equal(0)
    } finally {
      counter.server.close()
    }
  })
})
