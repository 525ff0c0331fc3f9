import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {ExitCode} from '../../src/errors.js'
import {pushBlob, pushManifest} from '../../src/registry/push.js'
import {placeholderManifest} from '../../src/cleanup/untag.js'
import {getManifest, headManifest} from '../../src/registry/manifests.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {runCli} from '../helpers/cli.js'
import {type DelayingProxy, startDelayingProxy} from '../helpers/delaying-proxy.js'
import {useRegistry} from '../helpers/registry.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const createdOn = (day: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + day * 86_400_000).toISOString()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Item {
  tag: string | null
  action: string
  outcome: {status: string; method?: string}
}

/** The real CLI as a process the test can signal, with its output. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {PATH: process.env.PATH ?? '', HOME: '/tmp', XDG_CONFIG_HOME: '/nonexistent-reglens-test'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}>((resolve) =>
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr})),
  )
  return {child, done}
}

describe('interrupting image delete (real registry behind a delaying proxy, real CLI process)', function () {
  const env = useRegistry()
  let proxy: DelayingProxy
  before(async () => {
    proxy = await startDelayingProxy({port: env.registry.port})
  })
  after(async () => {
    await proxy.close()
  })

  const repository = (name: string) => parseRepository(`${env.registry.host}/${name}`)
  async function tagsOf(name: string): Promise<string[]> {
    const tags: string[] = []
    for await (const tag of listTags(env.client, repository(name))) tags.push(tag)
    return tags.sort()
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during an untag: the untag finishes (no placeholder left), nothing new starts, the JSON says what was done, exit 130; the saved plan finishes the rest`, async () => {
      const name = `int/${signal.toLowerCase()}`
      const newest = await buildImage({layers: [{f: `${signal} newest`}], created: createdOn(9)})
      for (const tag of ['a1', 'a2', 'a3', 'a4']) await pushImage(env.client, repository(name), newest, tag)
      for (const [tag, day] of [
        ['b', 2],
        ['c', 1],
      ] as const)
        await pushImage(env.client, repository(name), await buildImage({layers: [{f: `${signal} ${tag}`}], created: createdOn(day)}), tag)
      const planPath = join(tmpdir(), `reglens-interrupt-${signal}-${process.pid}.json`)
      const saved = await runCli(['image', 'delete', `${proxy.host}/${name}`, '--keep-last-tags', '1', '--save-plan', planPath])
      expect(saved.code, saved.stderr).to.equal(0)
      expect(JSON.parse(readFileSync(planPath, 'utf8')).items.map((i: Item) => `${i.tag}:${i.action}`)).to.deep.equal([
        'a1:keep',
        'a2:untag',
        'a3:untag',
        'a4:untag',
        'b:delete',
        'c:delete',
      ])

      const run = startCli(['image', 'delete', '--plan', planPath, '--yes', '--json', '--concurrency', '1'])
      let signalled = false
      // The first placeholder PUT (the untag fallback's first step on 2.8): signal the CLI, then let the PUT through late.
      proxy.onRequest = async (request) => {
        if (!signalled && request.method === 'PUT' && /\/manifests\/a\d$/.test(request.url ?? '')) {
          signalled = true
          run.child.kill(signal)
          await sleep(400)
        }
      }
      const result = await run.done.finally(() => (proxy.onRequest = undefined))
      expect(signalled, 'the proxy saw the placeholder PUT').to.equal(true)
      expect(result.code, result.stderr).to.equal(ExitCode.interrupted)
      expect(result.stderr).to.contain('interrupted: finishing what is in flight, starting nothing new')
      expect(result.stderr).to.contain('4 items not started; apply the plan again to finish')
      const items = JSON.parse(result.stdout).items as Item[]
      expect(items.map((i) => `${i.tag}:${i.outcome.status}`)).to.deep.equal([
        'a1:kept',
        'a2:untagged',
        'a3:interrupted',
        'a4:interrupted',
        'b:interrupted',
        'c:interrupted',
      ])
      expect(items[1].outcome.method).to.equal('placeholder')
      // No tag points at a placeholder: every remaining tag is the image it was.
      const left = await tagsOf(name)
      expect(left).to.deep.equal(['a1', 'a3', 'a4', 'b', 'c'])
      for (const tag of left)
        expect((await getManifest(env.client, repository(name), tag)).bytes.toString()).to.not.contain('io.reglens.placeholder')

      proxy.onRequest = undefined
      const again = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json'])
      expect(again.code, again.stderr).to.equal(0)
      expect(
        JSON.parse(again.stdout)
          .items.map((i: Item) => `${i.tag}:${i.outcome.status}`)
          .sort(),
      ).to.deep.equal(['a1:kept', 'a2:skipped', 'a3:untagged', 'a4:untagged', 'b:deleted', 'c:deleted'])
      expect(await tagsOf(name)).to.deep.equal(['a1'])
    })
  }

  it('SIGKILL between the placeholder PUT and its DELETE: tags list marks the leftover, and re-applying the plan removes placeholder and tag', async () => {
    const name = 'int/killed'
    const newest = await buildImage({layers: [{f: 'killed newest'}], created: createdOn(9)})
    for (const tag of ['k1', 'k2']) await pushImage(env.client, repository(name), newest, tag)
    await pushImage(env.client, repository(name), await buildImage({layers: [{f: 'killed old'}], created: createdOn(1)}), 'old')
    const planPath = join(tmpdir(), `reglens-killed-${process.pid}.json`)
    expect((await runCli(['image', 'delete', `${proxy.host}/${name}`, '--keep-last-tags', '1', '--save-plan', planPath])).code).to.equal(0)

    const run = startCli(['image', 'delete', '--plan', planPath, '--yes', '--concurrency', '1'])
    let put = false
    proxy.onRequest = (request) => {
      if (request.method === 'PUT' && /\/manifests\/k2$/.test(request.url ?? '')) put = true
      if (put && request.method === 'DELETE' && /\/manifests\/sha256:/.test(request.url ?? '')) {
        run.child.kill('SIGKILL')
        return 'drop'
      }
    }
    const killed = await run.done.finally(() => (proxy.onRequest = undefined))
    expect(killed.signal).to.equal('SIGKILL')
    const leftover = await headManifest(env.client, repository(name), 'k2')
    expect(leftover, 'k2 is left on a placeholder').to.not.equal(undefined)

    const listed = await runCli(['tags', 'list', `${env.registry.host}/${name}`, '--details', '--json'])
    expect(listed.code, listed.stderr).to.equal(0)
    const rows = JSON.parse(listed.stdout).tags as {name: string; placeholder?: boolean}[]
    expect(rows.map((row) => `${row.name}:${row.placeholder ?? false}`)).to.deep.equal(['k1:false', 'k2:true', 'old:false'])
    const table = await runCli(['tags', 'list', `${env.registry.host}/${name}`, '--details'])
    expect(table.stdout.split('\n').find((line) => line.startsWith('k2'))).to.contain('reglens placeholder: left by an interrupted untag')

    const again = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json'])
    expect(again.code, again.stderr).to.equal(0)
    const k2 = (JSON.parse(again.stdout).items as (Item & {digest: string; reason: string})[]).find((i) => i.tag === 'k2')!
    expect(k2).to.deep.include({action: 'delete', digest: leftover!.digest})
    expect(k2.outcome.status).to.equal('deleted')
    expect(await tagsOf(name)).to.deep.equal(['k1'])
    expect(await headManifest(env.client, repository(name), leftover!.digest), 'the placeholder manifest is gone').to.equal(undefined)
  })

  it('a placeholder found by a rules cleanup is deleted with its tag, whatever the rules keep', async () => {
    const name = 'int/found'
    await pushImage(env.client, repository(name), await buildImage({layers: [{f: 'found'}], created: createdOn(3)}), 'v1')
    const empty = await pushBlob(env.client, repository(name), Buffer.from('{}'))
    const placeholder = await pushManifest(env.client, repository(name), 'v0', placeholderManifest(empty, 'v0'), MediaType.ociManifest)
    const result = await runCli(['image', 'delete', `${env.registry.host}/${name}`, '--keep-last', '5', '--keep', '^v', '--yes', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const v0 = (JSON.parse(result.stdout).items as (Item & {reason: string})[]).find((i) => i.tag === 'v0')!
    expect(v0.reason).to.equal('left by an interrupted untag (reglens placeholder): deleting it finishes the untag')
    expect(await tagsOf(name)).to.deep.equal(['v1'])
    expect(await headManifest(env.client, repository(name), placeholder)).to.equal(undefined)
  })
})
