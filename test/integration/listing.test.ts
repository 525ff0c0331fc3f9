import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {listRepositories} from '../../src/registry/catalog.js'
import {parseRepository} from '../../src/registry/reference.js'
import {ExitCode} from '../../src/errors.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

describe('repos list and tags list against the real registry', function () {
  const env = useRegistry()
  const repoNames = Array.from({length: 120}, (_, i) => `bulk/repo-${String(i).padStart(3, '0')}`)
  const tags = Array.from({length: 30}, (_, i) => `1.${i}.0`).concat(['latest', 'v2', 'dev'])

  before(async function () {
    this.timeout(60_000)
    const image = await buildImage({layers: [{'hello.txt': 'hello'}]})
    const client = env.client
    // One image under many names: blobs are pushed once per repo, manifests are tiny.
    for (const name of repoNames) await pushImage(client, parseRepository(`${env.registry.host}/${name}`), image, 'latest')
    const app = parseRepository(`${env.registry.host}/team/app/api`)
    for (const tag of tags) await pushImage(client, app, image, tag)
  })

  it('streams every repository of a paginated catalog (page size 7 over 121 repos)', async () => {
    const seen: string[] = []
    for await (const name of listRepositories(env.client, {pageSize: 7})) seen.push(name)
    expect(seen).to.have.members([...repoNames, 'team/app/api'])
    expect(seen).to.have.length(121)
    // 121 repos / 7 per page → 18 pages, each one request.
    expect(env.client.requests.total).to.be.greaterThan(18)
  })

  it('repos list --json prints every repository as a stable JSON document', async () => {
    const result = await runCli(['repos', 'list', '--registry', env.registry.host, '--json', '--page-size', '50'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.registry).to.equal(env.registry.host)
    expect(doc.repositories.map((r: {name: string}) => r.name)).to.have.members([...repoNames, 'team/app/api'])
  })

  it('repos list --filter and --limit narrow the stream; empty results are still valid JSON', async () => {
    const filtered = await runCli(['repos', 'list', '-r', env.registry.host, '--json', '--filter', '^team/'])
    expect(JSON.parse(filtered.stdout).repositories).to.deep.equal([{name: 'team/app/api'}])
    const limited = await runCli(['repos', 'list', '-r', env.registry.host, '--json', '--limit', '5'])
    expect(JSON.parse(limited.stdout).repositories).to.have.length(5)
    const none = await runCli(['repos', 'list', '-r', env.registry.host, '--json', '--filter', '^nothing-matches$'])
    expect(none.code).to.equal(0)
    expect(JSON.parse(none.stdout)).to.deep.equal({registry: env.registry.host, repositories: []})
  })

  it('repos list prints a table on stdout and the count on stderr', async () => {
    const result = await runCli(['repos', 'list', '-r', env.registry.host, '--filter', 'repo-00[0-2]'])
    expect(result.code).to.equal(0)
    expect(result.stdout.split('\n').filter(Boolean)).to.deep.equal(['REPOSITORY', 'bulk/repo-000', 'bulk/repo-001', 'bulk/repo-002'])
    expect(result.stderr).to.contain('3 repositories')
    expect(result.stdout).to.not.include('\u001b[')
  })

  it('tags list takes a host in the repository and lists every tag, sorted by semver', async () => {
    const result = await runCli(['tags', 'list', `${env.registry.host}/team/app/api`, '--sort', 'semver', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const names = JSON.parse(result.stdout).tags.map((t: {name: string}) => t.name)
    expect(names).to.have.members(tags)
    expect(names.slice(0, 3)).to.deep.equal(['1.0.0', '1.1.0', '1.2.0'])
    expect(names.indexOf('v2')).to.be.greaterThan(names.indexOf('1.29.0'))
    expect(names.slice(-2)).to.deep.equal(['dev', 'latest'])
  })

  it('tags list with REGLENS_REGISTRY resolves a bare repository against it', async () => {
    const result = await runCli(['tags', 'list', 'team/app/api', '--filter', '^l', '--json'], {env: {REGLENS_REGISTRY: env.registry.host}})
    expect(JSON.parse(result.stdout).tags).to.deep.equal([{name: 'latest'}])
  })

  it('--verbose logs each request to stderr and leaves stdout to data', async () => {
    const result = await runCli(['tags', 'list', `${env.registry.host}/team/app/api`, '--verbose', '--json'])
    expect(result.stderr).to.match(
      new RegExp(`GET http://${env.registry.host.replaceAll('.', '\\.')}/v2/team/app/api/tags/list\\?n=1000 → 200 \\(\\d+ ms\\)`),
    )
    expect(JSON.parse(result.stdout).tags).to.have.length(tags.length)
  })

  it('an unknown repository is one line on stderr with the not-found exit code', async () => {
    const result = await runCli(['tags', 'list', `${env.registry.host}/team/nope`])
    expect(result.code).to.equal(ExitCode.notFound)
    expect(result.stdout).to.equal('')
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain(`repository ${env.registry.host}/team/nope not found`)
  })

  it('a bad reference is rejected before any request, with the usage exit code', async () => {
    const result = await runCli(['tags', 'list', `${env.registry.host}/Team/App`])
    expect(result.code).to.equal(ExitCode.usage)
    expect(result.stderr).to.match(/invalid reference .*must be lowercase/)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
  })

  it('an unreachable registry is one line with the network exit code', async () => {
    const result = await runCli(['repos', 'list', '--registry', '127.0.0.1:1'])
    expect(result.code).to.equal(ExitCode.network)
    expect(result.stderr).to.match(/cannot reach 127\.0\.0\.1:1 .*connection refused/)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
  })

  it('with --json, a listing that fails before its first item prints nothing on stdout (no half document)', async () => {
    for (const args of [
      ['repos', 'list'],
      ['repos', 'list', '--size'],
    ]) {
      const result = await runCli([...args, '--json', '--registry', '127.0.0.1:1'])
      expect(result.code, args.join(' ')).to.equal(ExitCode.network)
      expect(result.stdout, args.join(' ')).to.equal('')
    }
  })
})
