import {execFile} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {REGISTRY_BINARY} from '../../src/devtools/registry-server.js'
import {ExitCode} from '../../src/errors.js'
import type {Digest} from '../../src/registry/digest.js'
import {headManifest} from '../../src/registry/manifests.js'
import {parseRepository} from '../../src/registry/reference.js'
import {listTags} from '../../src/registry/tags.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

interface Item {
  repository: string
  tag: string | null
  digest: string
  action: 'keep' | 'untag' | 'delete'
  outcome: {status: string; method?: string}
}

const run = promisify(execFile)

async function realGcBlobs(configPath: string): Promise<string[]> {
  const {stdout, stderr} = await run(REGISTRY_BINARY, ['garbage-collect', '--dry-run', configPath], {maxBuffer: 64 * 1024 * 1024})
  return [...(stdout + stderr).matchAll(/blob eligible for deletion: (sha256:[a-f0-9]{64})/g)].map((m) => m[1]).sort()
}

const blobFile = (root: string, digest: string) =>
  join(root, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data')

const DAY = 86_400_000
const BASE = Date.parse('2025-01-01T00:00:00Z')
const createdOn = (day: number) => new Date(BASE + day * DAY).toISOString()

describe('image delete cleanup rules against the real registry (65+ tags of known dates)', function () {
  const env = useRegistry()
  const name = 'ci/app'
  const repository = () => parseRepository(`${env.registry.host}/${name}`)
  // Tag names are unrelated to dates (a multiplicative shuffle), so name order is not date order.
  const builds = Array.from({length: 62}, (_, day) => ({tag: `build-${String((day * 37) % 62).padStart(2, '0')}`, day}))
  const digests = new Map<string, Digest>()

  async function currentTags(): Promise<string[]> {
    const tags: string[] = []
    try {
      for await (const tag of listTags(env.client, repository())) tags.push(tag)
    } catch {
      return []
    }
    return tags.sort()
  }

  before(async function () {
    this.timeout(120_000)
    for (const {tag, day} of builds) {
      const image = await buildImage({layers: [{'app.txt': `build ${day}`}], created: createdOn(day)})
      digests.set(tag, await pushImage(env.client, repository(), image, tag))
    }
    // Releases: old images also carrying a v* tag; one shares its digest with a build tag that will be doomed.
    for (const [release, build] of [
      ['v1.0.0', 'build-00'],
      ['v1.1.0', 'build-37'],
      ['v2.0.0', 'build-12'],
    ]) {
      const image = await buildImage({
        layers: [{'app.txt': `build ${builds.find((b) => b.tag === build)!.day}`}],
        created: createdOn(builds.find((b) => b.tag === build)!.day),
      })
      await pushImage(env.client, repository(), image, release)
    }
    await pushImage(env.client, repository(), await buildImage({layers: [{'app.txt': 'undated'}], created: null}), 'undated')
  })

  it('the one-line CI policy: dry run, real run, gc-hint --plan, and the registry then holds exactly the kept tags', async function () {
    this.timeout(120_000)
    const before = await currentTags()
    expect(before).to.have.length(66)
    // --keep-semver-latest keeps the v* tags only (a tag-level rule), so the build tags on their images are untagged.
    const args = ['image', 'delete', `${env.registry.host}/${name}`, '--keep-last', '10', '--keep-semver-latest', '3']
    const planPath = join(tmpdir(), `reglens-plan-${process.pid}.json`)
    const dry = await runCli([...args, '--dry-run', '--json', '--save-plan', planPath])
    expect(dry.code, dry.stderr).to.equal(0)
    const planned = JSON.parse(dry.stdout) as {dryRun: boolean; items: Item[]}
    expect(planned.dryRun).to.equal(true)
    expect(await currentTags(), 'a dry run deletes nothing').to.deep.equal(before)

    // Independently of reglens: the 10 newest builds by the dates this test chose, every v* tag, and the undated image.
    const newest = [...builds]
      .sort((a, b) => b.day - a.day)
      .slice(0, 10)
      .map((b) => b.tag)
    const expectedKept = [...newest, 'v1.0.0', 'v1.1.0', 'v2.0.0', 'undated'].sort()
    const kept = planned.items.filter((i) => i.action === 'keep').map((i) => i.tag)
    expect(kept.sort()).to.deep.equal(expectedKept)
    // build-00 shares its image with v1.0.0, kept by a tag-level rule: only the tag goes.
    expect(planned.items.find((i) => i.tag === 'build-00')!.action).to.equal('untag')

    const gc = await runCli(['gc-hint', '--registry', env.registry.host, '--plan', planPath, '--json'])
    expect(gc.code, gc.stderr).to.equal(0)
    const hint = JSON.parse(gc.stdout)
    expect(hint.deletionEnabled).to.equal(true)
    expect(hint.reclaimable.bytes).to.be.greaterThan(0)

    const run = await runCli([...args, '--yes', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    const done = JSON.parse(run.stdout) as {dryRun: boolean; items: Item[]}
    expect(done.dryRun).to.equal(false)
    // The real run executed exactly the dry run's plan.
    const shape = (items: Item[]) => items.map((i) => `${i.tag}@${i.digest}:${i.action}`).sort()
    expect(shape(done.items)).to.deep.equal(shape(planned.items))
    for (const entry of done.items)
      expect(entry.outcome.status, `${entry.tag}`).to.equal(
        entry.action === 'keep' ? 'kept' : entry.action === 'untag' ? 'untagged' : 'deleted',
      )

    const after = await currentTags()
    expect(after, JSON.stringify(after)).to.deep.equal(expectedKept)
    // Every kept tag still resolves to the digest it had.
    for (const tag of newest) expect((await headManifest(env.client, repository(), tag))?.digest).to.equal(digests.get(tag))
    // Deleted digests are gone, not merely untagged.
    for (const entry of done.items.filter((i) => i.action === 'delete'))
      expect(await headManifest(env.client, repository(), entry.digest), entry.tag ?? '').to.equal(undefined)

    // GC agrees with the prediction: the real garbage-collect frees exactly the predicted blobs, plus
    // only the placeholders the 2.8 untag fallback left (a placeholder manifest per untag, the empty blob).
    const real = await realGcBlobs(env.registry.configPath)
    const predicted = hint.reclaimable.blobs.map((b: {digest: string}) => b.digest).sort()
    expect(real).to.include.members(predicted)
    const extras = real.filter((digest) => !predicted.includes(digest))
    const placeholders = done.items.filter((i) => i.outcome.method === 'placeholder').length
    expect(placeholders, 'the plan must untag through the 2.8 fallback').to.be.greaterThan(0)
    // gc-hint counts the placeholder manifests (random digests, so not listed) and lists the empty blob.
    expect(hint.reclaimable.placeholders.manifests).to.equal(placeholders)
    expect(extras.length).to.equal(placeholders)
    for (const digest of extras)
      expect(readFileSync(blobFile(env.registry.storageDir, digest), 'utf8')).to.match(/io\.reglens\.placeholder/)
    expect(hint.reclaimable.placeholders.bytes).to.equal(
      extras.reduce((sum, digest) => sum + readFileSync(blobFile(env.registry.storageDir, digest)).length, 0),
    )

    const again = await runCli([...args, '--yes', '--json'])
    expect(again.code, again.stderr).to.equal(0)
    const second = JSON.parse(again.stdout)
    expect(second.dryRun).to.equal(false)
    expect(second.items.filter((i: Item) => i.action !== 'keep')).to.deep.equal([])
    expect(second.summary).to.include({untagged: 0, deletedTags: 0, deletedManifests: 0})
    expect(await currentTags()).to.deep.equal(expectedKept)
  })
})

describe('saved plans and policies against the real registry', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)

  it('a saved plan is re-checked before applying: a tag that now points elsewhere is skipped and reported', async () => {
    for (let day = 0; day < 6; day++)
      await pushImage(env.client, repo('plans/app'), await buildImage({layers: [{f: `p${day}`}], created: createdOn(day)}), `t${day}`)
    const planPath = join(tmpdir(), `reglens-saved-${process.pid}.json`)
    const saved = await runCli(['image', 'delete', `${env.registry.host}/plans/app`, '--keep-last', '2', '--save-plan', planPath])
    expect(saved.code, saved.stderr).to.equal(0)
    const plan = JSON.parse(readFileSync(planPath, 'utf8'))
    expect(
      plan.items
        .filter((i: Item) => i.action === 'delete')
        .map((i: Item) => i.tag)
        .sort(),
    ).to.deep.equal(['t0', 't1', 't2', 't3'])
    // Meanwhile t0 is re-pushed with new content.
    const moved = await pushImage(env.client, repo('plans/app'), await buildImage({layers: [{f: 'moved'}], created: createdOn(9)}), 't0')
    const applied = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json', '--registry', env.registry.host])
    expect(applied.code, applied.stderr).to.equal(0)
    const items = JSON.parse(applied.stdout).items as (Item & {outcome: {message?: string}})[]
    const t0 = items.find((i) => i.tag === 't0')!
    expect(t0.outcome.status).to.equal('skipped')
    expect(t0.outcome.message).to.contain(`tag now points at ${moved}`)
    expect(applied.stderr).to.contain('skipping plans/app:t0')
    const tags: string[] = []
    for await (const tag of listTags(env.client, repo('plans/app'))) tags.push(tag)
    expect(tags.sort()).to.deep.equal(['t0', 't4', 't5'])
    // Applying the same plan again changes nothing, and the summary says so instead of repeating the plan.
    const again = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--registry', env.registry.host])
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stderr).to.contain('done: keep 2; skipped 4 (changed since the plan)')
    // The JSON summary and a dry run count only what is (or would be) done, never the skipped items.
    const againJson = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json', '--registry', env.registry.host])
    expect(JSON.parse(againJson.stdout).summary).to.deep.equal({kept: 2, untagged: 0, deletedTags: 0, deletedManifests: 0})
    const dry = await runCli(['image', 'delete', '--plan', planPath, '--dry-run', '--json', '--registry', env.registry.host])
    expect(JSON.parse(dry.stdout).summary).to.deep.equal({kept: 2, untagged: 0, deletedTags: 0, deletedManifests: 0})
    expect((await runCli(['image', 'delete', '--plan', planPath, '--dry-run', '--registry', env.registry.host])).stderr).to.contain(
      'dry run, would keep 2; skipped 4 (changed since the plan)',
    )
  })

  it('--keep-last 1 on a repository whose newest image carries three tags keeps all three (images are counted, not tags)', async () => {
    const newest = await buildImage({layers: [{f: 'n'}], created: createdOn(5)})
    for (const tag of ['1.5', 'latest', 'stable']) await pushImage(env.client, repo('last/app'), newest, tag)
    await pushImage(env.client, repo('last/app'), await buildImage({layers: [{f: 'o'}], created: createdOn(4)}), '1.4')
    const result = await runCli(['image', 'delete', `${env.registry.host}/last/app`, '--keep-last', '1', '--yes', '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const items = JSON.parse(result.stdout).items as (Item & {reason: string})[]
    expect(items.filter((i) => i.action === 'keep').map((i) => i.reason)).to.deep.equal(
      Array(3).fill('one of the 1 newest images (--keep-last 1)'),
    )
    const tags: string[] = []
    for await (const tag of listTags(env.client, repo('last/app'))) tags.push(tag)
    expect(tags.sort()).to.deep.equal(['1.5', 'latest', 'stable'])
  })

  it('a plan made on another registry is refused by image delete and gc-hint, and nothing is deleted', async () => {
    for (let day = 0; day < 3; day++)
      await pushImage(env.client, repo('plans/mirror'), await buildImage({layers: [{f: `m${day}`}], created: createdOn(day)}), `m${day}`)
    const planPath = join(tmpdir(), `reglens-mirror-${process.pid}.json`)
    expect(
      (await runCli(['image', 'delete', `${env.registry.host}/plans/mirror`, '--keep-last', '1', '--save-plan', planPath])).code,
    ).to.equal(0)
    // The same plan as if saved on a mirror holding the same digests.
    writeFileSync(planPath, JSON.stringify({...JSON.parse(readFileSync(planPath, 'utf8')), registry: 'mirror.example.com:5000'}))
    for (const args of [
      ['image', 'delete', '--plan', planPath, '--yes'],
      ['gc-hint', '--plan', planPath],
    ]) {
      const refused = await runCli([...args, '-r', env.registry.host])
      expect(refused.code, refused.stderr).to.equal(ExitCode.usage)
      expect(refused.stderr).to.equal(
        `reglens: plan ${planPath}: made for mirror.example.com:5000, not ${env.registry.host}; a plan only applies to the registry it was made on (drop --registry and REGLENS_REGISTRY to use the plan's)\n`,
      )
    }
    const tags: string[] = []
    for await (const tag of listTags(env.client, repo('plans/mirror'))) tags.push(tag)
    expect(tags.sort()).to.deep.equal(['m0', 'm1', 'm2'])
  })

  it('--save-plan to a path that cannot be written is one usage line, not an internal error', async () => {
    await pushImage(env.client, repo('plans/unsaved'), await buildImage({layers: [{f: 'u'}], created: createdOn(1)}), 'u1')
    const result = await runCli([
      'image',
      'delete',
      `${env.registry.host}/plans/unsaved`,
      '--keep-last',
      '1',
      '--save-plan',
      '/nonexistent-dir/plan.json',
    ])
    expect(result.code).to.equal(ExitCode.usage)
    expect(result.stderr).to.equal('reglens: --save-plan /nonexistent-dir/plan.json: cannot write the plan (ENOENT)\n')
  })

  it('partial failure: the other items still go, exit 13, and JSON lists each outcome', async () => {
    for (let day = 0; day < 3; day++)
      await pushImage(env.client, repo('plans/partial'), await buildImage({layers: [{f: `q${day}`}], created: createdOn(day)}), `p${day}`)
    const planPath = join(tmpdir(), `reglens-partial-${process.pid}.json`)
    expect(
      (await runCli(['image', 'delete', `${env.registry.host}/plans/partial`, '--keep-last', '1', '--save-plan', planPath])).code,
    ).to.equal(0)
    const plan = JSON.parse(readFileSync(planPath, 'utf8'))
    const ghost = `sha256:${'e'.repeat(64)}`
    plan.items.push({
      repository: 'plans/partial',
      tag: null,
      digest: ghost,
      mediaType: '',
      created: null,
      size: 0,
      action: 'delete',
      reason: 'test: already gone',
    })
    writeFileSync(planPath, JSON.stringify(plan))
    const applied = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json', '-r', env.registry.host])
    expect(applied.code).to.equal(ExitCode.partial)
    const items = JSON.parse(applied.stdout).items as Item[]
    expect(items.find((i) => i.digest === ghost)!.outcome.status).to.equal('missing')
    expect(items.filter((i) => i.tag !== null && i.action === 'delete').map((i) => i.outcome.status)).to.deep.equal(['deleted', 'deleted'])
    const tolerant = await runCli(['image', 'delete', '--plan', planPath, '--yes', '--json', '-r', env.registry.host, '--ignore-missing'])
    expect(tolerant.code, tolerant.stderr).to.equal(0)
  })

  it('a YAML policy applies the first matching rule per repository across the catalog; other repositories are untouched', async () => {
    for (let day = 0; day < 4; day++) {
      await pushImage(env.client, repo('pol/web'), await buildImage({layers: [{f: `w${day}`}], created: createdOn(day)}), `w${day}`)
      await pushImage(env.client, repo('other/db'), await buildImage({layers: [{f: `d${day}`}], created: createdOn(day)}), `d${day}`)
    }
    const policyPath = join(tmpdir(), `reglens-policy-${process.pid}.yaml`)
    writeFileSync(policyPath, "rules:\n  - repositories: '^pol/'\n    keep_last: 1\n    keep: '^w0$'\n")
    const result = await runCli([
      'image',
      'delete',
      '--policy',
      policyPath,
      '-r',
      env.registry.host,
      '--repos',
      '^(pol|other)/',
      '--yes',
      '--json',
    ])
    expect(result.code, result.stderr).to.equal(0)
    const deleted = JSON.parse(result.stdout)
      .items.filter((i: Item) => i.action === 'delete')
      .map((i: Item) => `${i.repository}:${i.tag}`)
    expect(deleted.sort()).to.deep.equal(['pol/web:w1', 'pol/web:w2'])
    const bad = join(tmpdir(), `reglens-bad-policy-${process.pid}.yaml`)
    writeFileSync(bad, 'rules:\n  - keep_lats: 3\n')
    const invalid = await runCli(['image', 'delete', '--policy', bad, '-r', env.registry.host, '--dry-run'])
    expect(invalid.code).to.equal(ExitCode.usage)
    expect(invalid.stderr.trim()).to.match(/policy .*: rules\[0\]\.keep_lats: unknown key/)
    expect(invalid.stderr.trim().split('\n')).to.have.length(1)
  })

  it('a named repository that does not exist is not-found (a typo must not pass as "nothing to delete")', async () => {
    const result = await runCli(['image', 'delete', `${env.registry.host}/pol/wbe`, '--keep-last', '3', '--dry-run'])
    expect(result.code).to.equal(ExitCode.notFound)
    expect(result.stderr).to.contain('pol/wbe not found')
  })

  it('refuses a cleanup without any deletion rule', async () => {
    const result = await runCli(['image', 'delete', `${env.registry.host}/pol/web`, '--keep', '^v', '--dry-run'])
    expect(result.code).to.equal(ExitCode.usage)
    expect(result.stderr).to.contain('no deletion rule')
  })
})
