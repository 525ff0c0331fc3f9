import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {seedDemo, type SeedSummary} from '../../src/devtools/demo-seed.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

describe('the demo registry: every pushed repository and tag is listed', function () {
  const env = useRegistry()
  let pushed: SeedSummary

  before(async function () {
    this.timeout(120_000)
    pushed = await seedDemo(env.client)
  })

  it('repos list --json names exactly the pushed repositories', async () => {
    const result = await runCli(['repos', 'list', '--json'], {env: {REGLENS_REGISTRY: env.registry.host}})
    expect(result.code, result.stderr).to.equal(0)
    expect(JSON.parse(result.stdout).repositories.map((r: {name: string}) => r.name)).to.have.members(Object.keys(pushed))
  })

  it('repos list prints the same repositories as a table', async () => {
    const result = await runCli(['repos', 'list', '--registry', env.registry.url])
    expect(result.stdout.trim().split('\n').slice(1)).to.have.members(Object.keys(pushed))
  })

  it('tags list prints exactly the pushed tags of every repository, as JSON and as a table', async () => {
    for (const [repository, tags] of Object.entries(pushed)) {
      const json = await runCli(['tags', 'list', `${env.registry.host}/${repository}`, '--json'])
      expect(json.code, json.stderr).to.equal(0)
      const doc = JSON.parse(json.stdout)
      expect(doc.repository).to.equal(repository)
      expect(doc.tags.map((t: {name: string}) => t.name)).to.have.members(tags)
      const table = await runCli(['tags', 'list', `${env.registry.host}/${repository}`, '--quiet'])
      expect(table.stdout.trim().split('\n')).to.deep.equal(['TAG', ...[...tags].sort()])
      expect(table.stderr).to.equal('')
    }
  })
})

describe('the demo script without a terminal', function () {
  this.timeout(300_000)

  it('ends without offering a registry it has stopped, and leaves nothing in the temp dir', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'reglens-demo-test-'))
    try {
      const script = fileURLToPath(new URL('../../scripts/demo.js', import.meta.url))
      const {code, stderr} = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
        // stdin is not a TTY here, as in CI: the demo must stop its registry and say so.
        const child = spawn(process.execPath, [script], {
          env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TMPDIR: temp, XDG_CONFIG_HOME: '/nonexistent-reglens-test'},
          stdio: ['pipe', 'ignore', 'pipe'],
        })
        let err = ''
        child.stderr.on('data', (chunk) => (err += chunk))
        child.on('error', reject)
        child.on('close', (exit) => resolve({code: exit, stderr: err}))
        child.stdin.end()
      })
      expect(code, stderr).to.equal(0)
      expect(stderr).to.not.contain('Try it yourself').and.not.contain('export REGLENS_REGISTRY')
      expect(stderr).to.contain('the registry is stopped')
      expect(readdirSync(temp)).to.deep.equal([])
    } finally {
      rmSync(temp, {recursive: true, force: true})
    }
  })
})
