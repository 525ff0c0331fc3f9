import {once} from 'node:events'
import {readdir, readFile, mkdtemp, rm} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../helpers/cli.js'
import {OSV_FIXTURES} from '../helpers/scan-fixtures.js'
import {zipOf} from '../helpers/zip.js'

/** A zip of every OSV fixture file of one ecosystem directory, as osv.dev publishes `all.zip`. */
async function zipOfDirectory(directory: string): Promise<Buffer> {
  const names = (await readdir(directory)).sort()
  return zipOf(Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(directory, name))]))))
}

describe('scan db update and status', function () {
  this.timeout(60_000)
  let server: Server
  let source: string
  let cache: string
  const requests: string[] = []
  const cli = (args: string[]) => runCli(args, {env: {XDG_CACHE_HOME: cache}})

  before(async () => {
    const zips: Record<string, Buffer> = {
      '/npm/all.zip': await zipOfDirectory(join(OSV_FIXTURES, 'npm')),
      '/Alpine/all.zip': await zipOfDirectory(join(OSV_FIXTURES, 'alpine')),
      '/Broken/all.zip': Buffer.from('PK not really a zip'),
    }
    server = createServer((request, response) => {
      requests.push(request.url ?? '')
      const body = zips[request.url ?? '']
      response.writeHead(body ? 200 : 404, {'content-type': 'application/zip'})
      response.end(body ?? 'not found')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    source = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    cache = await mkdtemp(join(tmpdir(), 'reglens-db-test-'))
  })
  after(async () => {
    server.close()
    await rm(cache, {recursive: true, force: true})
  })

  it("downloads each ecosystem's all.zip from the source and reports counts, with no progress on a non-TTY", async () => {
    const run = await cli(['scan', 'db', 'update', '--ecosystems', 'npm,Alpine', '--source', source, '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stderr).to.equal('')
    expect(requests).to.deep.equal(['/npm/all.zip', '/Alpine/all.zip'])
    const doc = JSON.parse(run.stdout)
    expect(doc.directory).to.equal(join(cache, 'reglens', 'osv'))
    expect(doc.ecosystems.npm).to.include({entries: 5, packages: 5, source})
    expect(doc.ecosystems.Alpine).to.include({entries: 5, packages: 4, source})
    const status = JSON.parse((await cli(['scan', 'db', 'status', '--json'])).stdout)
    expect(status.ecosystems).to.deep.equal(doc.ecosystems)
    const table = await cli(['scan', 'db', 'status'])
    expect(
      table.stdout
        .split('\n')
        .find((line) => line.startsWith('npm'))
        ?.split(/\s+/)
        .slice(0, 3),
    ).to.deep.equal(['npm', '5', '5'])
  })

  it('keeps the existing data when a download fails, with one line and a documented exit code', async () => {
    const missing = await cli(['scan', 'db', 'update', '--ecosystems', 'Hackage', '--source', source])
    expect(missing.code).to.equal(8)
    expect(missing.stderr.trim().split('\n')).to.deep.equal([`reglens: cannot download ${source}/Hackage/all.zip: HTTP 404`])
    const broken = await cli(['scan', 'db', 'update', '--ecosystems', 'Broken', '--source', source])
    expect(broken.code).to.equal(12)
    expect(broken.stderr).to.match(/^reglens: .*Broken\.zip is not a readable zip/)
    const status = JSON.parse((await cli(['scan', 'db', 'status', '--json'])).stdout)
    expect(Object.keys(status.ecosystems).sort()).to.deep.equal(['Alpine', 'npm'])
  })

  it('rejects a bad --source and an unreachable one with one line each', async () => {
    expect((await cli(['scan', 'db', 'update', '--source', 'ftp://x'])).code).to.equal(2)
    const unreachable = await cli(['scan', 'db', 'update', '--ecosystems', 'npm', '--source', 'http://127.0.0.1:1'])
    expect(unreachable.code).to.equal(4)
    expect(unreachable.stderr.trim().split('\n')).to.have.length(1)
  })

  it('update --dir of a directory without OSV files is a usage error and keeps the database (a wrong path must not pass as updated)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reglens-db-nofiles-'))
    try {
      const imported = await cli(['scan', 'db', 'update', '--dir', OSV_FIXTURES])
      expect(imported.code, imported.stderr).to.equal(0)
      const before = JSON.parse((await cli(['scan', 'db', 'status', '--json'])).stdout)
      const run = await cli(['scan', 'db', 'update', '--dir', empty])
      expect(run.code).to.equal(2)
      expect(run.stdout).to.equal('')
      expect(run.stderr).to.equal(
        `reglens: no OSV advisories under ${empty} (expected *.json files or *.zip archives of a supported ecosystem); nothing was imported\n`,
      )
      expect(JSON.parse((await cli(['scan', 'db', 'status', '--json'])).stdout)).to.deep.equal(before)
    } finally {
      await rm(empty, {recursive: true, force: true})
    }
  })

  it('status says how to create the database when there is none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reglens-db-empty-'))
    try {
      const run = await runCli(['scan', 'db', 'status'], {env: {XDG_CACHE_HOME: empty}})
      expect(run.code).to.equal(0)
      expect(run.stdout.trim()).to.equal(`No OSV database in ${join(empty, 'reglens', 'osv')}: run \`reglens scan db update\`.`)
      expect(JSON.parse((await runCli(['scan', 'db', 'status', '--json'], {env: {XDG_CACHE_HOME: empty}})).stdout)).to.deep.equal({
        directory: join(empty, 'reglens', 'osv'),
        ecosystems: {},
      })
    } finally {
      await rm(empty, {recursive: true, force: true})
    }
  })
})
