import {createServer, type Server} from 'node:net'
import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {ExitCode} from '../../src/errors.js'
import {probeDeletion} from '../../src/registry/delete.js'
import {headManifest} from '../../src/registry/manifests.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

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
      expect(flag.stderr).to.equal(
        "reglens: --keep-last 0 would delete every image; to delete every tag on purpose, say so with --match '.*' and no keep rule\n",
      )
      const tags = await runCli(['image', 'delete', `${counter.host}/team/app`, '--keep-last-tags', '0', '--yes'])
      expect(tags.code).to.equal(ExitCode.usage)
      const policy = join(tmpdir(), `reglens-zero-${process.pid}.yaml`)
      writeFileSync(policy, 'rules:\n  - keep_last: 0\n')
      const fromPolicy = await runCli(['image', 'delete', '--policy', policy, '-r', counter.host, '--yes'])
      expect(fromPolicy.code).to.equal(ExitCode.usage)
      expect(fromPolicy.stderr).to.equal(
        `reglens: policy ${policy}: rules[0].keep_last: 0 would delete every image; to delete every tag on purpose, say so with match: '.*' and no keep rule\n`,
      )
      expect(counter.connections()).to.equal(0)
    } finally {
      counter.server.close()
    }
  })
})

const createdOn = (day: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + day * 86_400_000).toISOString()

describe('--keep-digests-from against the real registry', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)
  async function tagsOf(name: string): Promise<string[]> {
    const tags: string[] = []
    for await (const tag of listTags(env.client, repo(name))) tags.push(tag)
    return tags.sort()
  }

  it('a kubectl imageID list (stdin and a file) protects the images it names, with all their tags', async () => {
    const digests: string[] = []
    for (let day = 0; day < 5; day++)
      digests.push(
        await pushImage(env.client, repo('run/app'), await buildImage({layers: [{f: `r${day}`}], created: createdOn(day)}), `b${day}`),
      )
    await pushImage(env.client, repo('run/app'), await buildImage({layers: [{f: 'r1'}], created: createdOn(1)}), 'prod')
    // What `kubectl get pods -A -o jsonpath='{..imageID}' | tr ' ' '\\n'` prints for two pods.
    const stdin = `docker-pullable://${env.registry.host}/run/app@${digests[1]}\n`
    const file = join(tmpdir(), `reglens-pods-${process.pid}.txt`)
    writeFileSync(file, `# pods in staging\n${env.registry.host}/run/app@${digests[2]}\n`)
    const result = await runCli(
      [
        'image',
        'delete',
        `${env.registry.host}/run/app`,
        '--keep-last',
        '1',
        '--keep-digests-from',
        '-',
        '--keep-digests-from',
        file,
        '--yes',
        '--json',
      ],
      {input: stdin},
    )
    expect(result.code, result.stderr).to.equal(0)
    const reasons = Object.fromEntries(JSON.parse(result.stdout).items.map((i: {tag: string; reason: string}) => [i.tag, i.reason]))
    expect(reasons.prod).to.equal('in use (--keep-digests-from)')
    expect(reasons.b1).to.equal('in use (--keep-digests-from)')
    expect(await tagsOf('run/app')).to.deep.equal(['b1', 'b2', 'b4', 'prod'])
  })

  it('a line that is neither a digest nor a reference with one is exit 2 naming the file and line, before any change', async () => {
    await pushImage(env.client, repo('run/bad'), await buildImage({layers: [{f: 'x'}], created: createdOn(1)}), 'x1')
    await pushImage(env.client, repo('run/bad'), await buildImage({layers: [{f: 'y'}], created: createdOn(2)}), 'x2')
    const file = join(tmpdir(), `reglens-badpods-${process.pid}.txt`)
    writeFileSync(file, `sha256:${'a'.repeat(64)}\nnginx:1.25\n`)
    const result = await runCli([
      'image',
      'delete',
      `${env.registry.host}/run/bad`,
      '--keep-last',
      '1',
      '--keep-digests-from',
      file,
      '--yes',
    ])
    expect(result.code).to.equal(ExitCode.usage)
    expect(result.stderr).to.equal(
      `reglens: --keep-digests-from ${file} line 2: expected a digest (sha256:…) or an image reference with one (host/repo@sha256:…), got "nginx:1.25"\n`,
    )
    expect(await tagsOf('run/bad')).to.deep.equal(['x1', 'x2'])
  })
})

describe('the deletion probe and dry runs on the real registry', () => {
  const enabled = useRegistry()
  const disabled = useRegistry({deleteEnabled: false})

  it('DELETE of a digest nobody pushed: 404 when deletion is enabled, 405 UNSUPPORTED when disabled, and nothing is deleted', async () => {
    for (const [env, status, on] of [
      [enabled, 404, true],
      [disabled, 405, false],
    ] as const) {
      const repository = parseRepository(`${env.registry.host}/probe/app`)
      const digest = await pushImage(env.client, repository, await buildImage({layers: [{f: 'probe'}], created: createdOn(1)}), 'p1')
      const answer = await probeDeletion(env.client, repository)
      expect(answer).to.deep.equal({enabled: on, status})
      expect((await headManifest(env.client, repository, 'p1'))?.digest).to.equal(digest)
      expect((await headManifest(env.client, repository, digest))?.digest).to.equal(digest)
    }
  })

  it('a dry run on a registry with deletion disabled says so at once, prints the plan, and exits 0', async () => {
    const repository = parseRepository(`${disabled.registry.host}/dry/app`)
    for (let day = 0; day < 3; day++)
      await pushImage(disabled.client, repository, await buildImage({layers: [{f: `dry ${day}`}], created: createdOn(day)}), `d${day}`)
    const result = await runCli(['image', 'delete', `${disabled.registry.host}/dry/app`, '--keep-last', '1', '--dry-run', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr.split('\n')[0]).to.equal(
      `warning: deletion is disabled on ${disabled.registry.host} (HTTP 405 UNSUPPORTED); enable it with REGISTRY_STORAGE_DELETE_ENABLED=true or \`storage: {delete: {enabled: true}}\` in the registry's config.yml, then restart the registry; this dry run goes on, but a real run would stop before deleting anything`,
    )
    expect(JSON.parse(result.stdout).items.filter((i: {action: string}) => i.action === 'delete')).to.have.length(2)
    const onEnabled = await runCli(['image', 'delete', `${enabled.registry.host}/probe/app`, '--keep-last', '1', '--dry-run'])
    expect(onEnabled.stderr).to.not.contain('deletion is disabled')
  })
})
