import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {ExitCode} from '../../src/errors.js'
import {headManifest} from '../../src/registry/manifests.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

async function tagsOf(env: ReturnType<typeof useRegistry>, name: string): Promise<string[]> {
  const tags: string[] = []
  try {
    for await (const tag of listTags(env.client, parseRepository(`${env.registry.host}/${name}`))) tags.push(tag)
  } catch {
    return []
  }
  return tags.sort()
}

describe('image delete REF... against the real registry (2.8, deletion enabled)', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)

  it('deleting a tag removes only that tag (placeholder fallback on 2.8); the shared image and its other tags stay', async () => {
    const image = await buildImage({layers: [{'a.txt': 'shared'}]})
    const digest = await pushImage(env.client, repo('single/tag'), image, 'one')
    await pushImage(env.client, repo('single/tag'), image, 'two')
    const result = await runCli(['image', 'delete', `${env.registry.host}/single/tag:one`, '--yes', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.items).to.have.length(1)
    expect(doc.items[0]).to.include({tag: 'one', digest, action: 'untag'})
    // Registry 2.8 answers a tag DELETE with 400 DIGEST_INVALID: reglens must have fallen back.
    expect(doc.items[0].outcome).to.deep.equal({status: 'untagged', method: 'placeholder'})
    expect(await tagsOf(env, 'single/tag')).to.deep.equal(['two'])
    expect((await headManifest(env.client, repo('single/tag'), digest))?.digest).to.equal(digest)
  })

  it('the table output names the method used', async () => {
    const image = await buildImage({layers: [{'b.txt': 'table'}]})
    await pushImage(env.client, repo('single/table'), image, 'x')
    await pushImage(env.client, repo('single/table'), image, 'y')
    const result = await runCli(['image', 'delete', `${env.registry.host}/single/table:x`, '--yes'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/x .* untag\s+untagged \(placeholder\)/)
  })

  it('deleting a digest is refused while other tags point at it, naming them; selecting them all deletes it', async () => {
    const image = await buildImage({layers: [{'c.txt': 'digest'}]})
    const digest = await pushImage(env.client, repo('single/digest'), image, 'a')
    await pushImage(env.client, repo('single/digest'), image, 'b')
    await pushImage(env.client, repo('single/digest'), await buildImage({layers: [{'d.txt': 'other'}]}), 'c')
    const refused = await runCli(['image', 'delete', `${env.registry.host}/single/digest@${digest}`, '--yes'])
    expect(refused.code).to.equal(ExitCode.usage)
    expect(refused.stderr, refused.stderr).to.match(/refusing to delete .*also tagged "a", "b"/)
    expect(refused.stderr.trim().split('\n')).to.have.length(1)
    expect(await tagsOf(env, 'single/digest')).to.deep.equal(['a', 'b', 'c'])
    const whole = await runCli(['image', 'delete', `${env.registry.host}/single/digest:a`, '--whole-image', '--yes'])
    expect(whole.code).to.equal(ExitCode.usage)
    expect(whole.stderr).to.contain('also tagged "b"')
    const both = await runCli([
      'image',
      'delete',
      `${env.registry.host}/single/digest:a`,
      `${env.registry.host}/single/digest:b`,
      '--whole-image',
      '--yes',
      '--json',
    ])
    expect(both.code, both.stderr).to.equal(0)
    expect(JSON.parse(both.stdout).items.map((i: {outcome: {method: string}}) => i.outcome.method)).to.deep.equal([
      'digest-delete',
      'digest-delete',
    ])
    expect(await tagsOf(env, 'single/digest')).to.deep.equal(['c'])
    expect(await headManifest(env.client, repo('single/digest'), digest)).to.equal(undefined)
  })

  it('--force deletes a shared digest with every tag on it', async () => {
    const image = await buildImage({layers: [{'e.txt': 'force'}]})
    const digest = await pushImage(env.client, repo('single/force'), image, 'a')
    await pushImage(env.client, repo('single/force'), image, 'b')
    const result = await runCli(['image', 'delete', `${env.registry.host}/single/force@${digest}`, '--force', '--yes'])
    expect(result.code, result.stderr).to.equal(0)
    expect(await headManifest(env.client, repo('single/force'), digest)).to.equal(undefined)
  })

  it('a platform manifest an index still lists is not deleted alone (refused, naming the index tag); with the index it goes', async () => {
    const amd = await buildImage({layers: [{'f.txt': 'amd'}]})
    const arm = await buildImage({layers: [{'f.txt': 'arm'}], platform: {os: 'linux', architecture: 'arm64'}})
    const index = await buildIndex([amd, arm])
    const indexDigest = await pushIndex(env.client, repo('single/index'), index, 'multi')
    const refused = await runCli(['image', 'delete', `${env.registry.host}/single/index@${amd.manifest.digest}`, '--yes'])
    expect(refused.code).to.equal(ExitCode.usage)
    expect(refused.stderr).to.match(/index tagged "multi" still lists it/)
    expect(await headManifest(env.client, repo('single/index'), amd.manifest.digest)).to.not.equal(undefined)
    const together = await runCli(['image', 'delete', `${env.registry.host}/single/index:multi`, '--whole-image', '--yes', '--json'])
    expect(together.code, together.stderr).to.equal(0)
    const items = JSON.parse(together.stdout).items
    expect(items.map((i: {digest: string}) => i.digest).sort()).to.deep.equal(
      [indexDigest, amd.manifest.digest, arm.manifest.digest].sort(),
    )
    for (const digest of [indexDigest, amd.manifest.digest, arm.manifest.digest])
      expect(await headManifest(env.client, repo('single/index'), digest)).to.equal(undefined)
  })

  it('without a TTY and without --yes it refuses (exit 15) and deletes nothing; --dry-run needs neither', async () => {
    const image = await buildImage({layers: [{'g.txt': 'tty'}]})
    await pushImage(env.client, repo('single/tty'), image, 'only')
    const refused = await runCli(['image', 'delete', `${env.registry.host}/single/tty:only`])
    expect(refused.code).to.equal(ExitCode.aborted)
    expect(refused.stderr).to.match(/not on a terminal; pass --yes/)
    const preview = await runCli(['image', 'delete', `${env.registry.host}/single/tty:only`, '--dry-run', '--json'])
    expect(preview.code, preview.stderr).to.equal(0)
    expect(JSON.parse(preview.stdout).items[0].outcome.status).to.equal('planned')
    expect(await tagsOf(env, 'single/tty')).to.deep.equal(['only'])
  })

  it('on a terminal it asks first: "n" aborts (exit 15) and deletes nothing, "y" proceeds', async () => {
    const image = await buildImage({layers: [{'i.txt': 'pty'}]})
    await pushImage(env.client, repo('single/pty'), image, 'one')
    await pushImage(env.client, repo('single/pty'), image, 'two')
    // util-linux `script` gives the CLI a pseudo-terminal, as a user's shell would.
    const onTerminal = (answer: string) =>
      new Promise<{code: number; output: string}>((resolve, reject) => {
        const command = `stty cols 120; ${process.execPath} ${BIN} image delete ${env.registry.host}/single/pty:one`
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: {PATH: process.env.PATH ?? '', HOME: '/tmp', XDG_CONFIG_HOME: '/nonexistent-reglens-test'},
        })
        let output = ''
        child.stdout.on('data', (chunk) => {
          output += chunk
          if (output.includes('[y/N]')) child.stdin.end(`${answer}\n`)
        })
        child.on('error', reject)
        child.on('close', (code) => resolve({code: code ?? -1, output}))
      })
    const declined = await onTerminal('n')
    expect(declined.output).to.match(/untag 1 tag\. Proceed\? \[y\/N\]/)
    expect(declined.code).to.equal(ExitCode.aborted)
    expect(await tagsOf(env, 'single/pty')).to.deep.equal(['one', 'two'])
    const accepted = await onTerminal('y')
    expect(accepted.code, accepted.output).to.equal(0)
    expect(await tagsOf(env, 'single/pty')).to.deep.equal(['two'])
  })

  it('a missing reference is not-found (exit 8); with --ignore-missing it is reported and not fatal', async () => {
    const ref = `${env.registry.host}/single/tty:nope`
    const missing = await runCli(['image', 'delete', ref, '--yes'])
    expect(missing.code).to.equal(ExitCode.notFound)
    expect(missing.stderr).to.contain('not found')
    const ignored = await runCli(['image', 'delete', ref, '--yes', '--ignore-missing', '--json'])
    expect(ignored.code, ignored.stderr).to.equal(0)
    expect(JSON.parse(ignored.stdout).missing).to.deep.equal([ref])
  })
})

describe('image delete against a registry with deletion disabled', function () {
  const env = useRegistry({deleteEnabled: false})

  it('answers 405 with one line saying how to enable deletion, exit 9, and leaves the tag alone', async () => {
    const image = await buildImage({layers: [{'h.txt': 'disabled'}]})
    await pushImage(env.client, parseRepository(`${env.registry.host}/off/app`), image, 'a')
    await pushImage(env.client, parseRepository(`${env.registry.host}/off/app`), image, 'b')
    // Without --yes too: the registry is probed before anyone is asked.
    for (const args of [['off/app:a', '--yes'], ['off/app:a', 'off/app:b', '--whole-image', '--yes'], ['off/app:a']]) {
      const result = await runCli(['image', 'delete', ...args.map((arg) => (arg.startsWith('--') ? arg : `${env.registry.host}/${arg}`))])
      expect(result.code).to.equal(ExitCode.unsupported)
      expect(result.stderr.trim().split('\n')).to.have.length(1)
      expect(result.stderr).to.match(/deletion is disabled .*REGISTRY_STORAGE_DELETE_ENABLED=true .*storage: \{delete: \{enabled: true\}\}/)
    }
    const tags: string[] = []
    for await (const tag of listTags(env.client, parseRepository(`${env.registry.host}/off/app`))) tags.push(tag)
    expect(tags.sort()).to.deep.equal(['a', 'b'])
  })
})
