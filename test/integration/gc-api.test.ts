import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

describe('gc-hint over the API against the real registry', function () {
  const env = useRegistry()
  const repo = (name: string) => parseRepository(`${env.registry.host}/${name}`)
  let planPath = ''
  let uniqueBytes = 0

  before(async function () {
    this.timeout(60_000)
    const base = {'base.txt': 'x'.repeat(5000)}
    const doomed = await buildImage({layers: [base, {'doomed.txt': 'only in the doomed image'}], created: '2020-01-01T00:00:00Z'})
    const fresh = await buildImage({layers: [{'fresh.txt': 'fresh'}], created: '2030-01-01T00:00:00Z'})
    await pushImage(env.client, repo('api/app'), doomed, 'old')
    await pushImage(env.client, repo('api/app'), fresh, 'new')
    // The shared base layer stays referenced from another repository: it must not be counted.
    await pushImage(env.client, repo('api/other'), await buildImage({layers: [base]}), 'keep')
    await pushIndex(env.client, repo('api/multi'), await buildIndex([fresh]), 'multi')
    uniqueBytes = doomed.manifest.bytes.length + doomed.config.bytes.length + doomed.layers[1].bytes.length
    planPath = join(tmpdir(), `reglens-gc-api-${process.pid}.json`)
    const saved = await runCli(['image', 'delete', `${env.registry.host}/api/app`, '--keep-last', '1', '--save-plan', planPath])
    expect(saved.code, saved.stderr).to.equal(0)
  })

  it('counts exactly the blobs only the deleted manifest references, across every repository', async () => {
    const result = await runCli(['gc-hint', '-r', env.registry.host, '--plan', planPath, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.deletionEnabled).to.equal(true)
    expect(doc.repositories).to.equal(3)
    expect(doc.reclaimable.bytes).to.equal(uniqueBytes)
    expect(doc.reclaimable.blobs).to.have.length(3)
    expect(doc.hasIndexes).to.equal(true)
    expect(doc.warnings.join('\n')).to.contain('--delete-untagged')
    expect(doc.gc.map((recipe: {deployment: string}) => recipe.deployment).join('\n')).to.match(
      /docker.*\n.*compose.*\n.*kubernetes.*\n.*bare binary/s,
    )
  })

  it('prints the GC commands with --dry-run first and the config path', async () => {
    const result = await runCli(['gc-hint', '-r', env.registry.host])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.contain('deletion: enabled')
    expect(result.stdout).to.contain('docker exec registry bin/registry garbage-collect --dry-run /etc/docker/registry/config.yml')
    expect(result.stdout.indexOf('--dry-run /etc')).to.be.lessThan(result.stdout.indexOf('garbage-collect /etc'))
    expect(result.stderr).to.contain('--delete-untagged')
  })
})

describe('gc-hint over the API with deletion disabled', function () {
  const env = useRegistry({deleteEnabled: false})

  it('reports deletion as disabled (the probe answered 405) and says how to enable it', async () => {
    await pushImage(env.client, parseRepository(`${env.registry.host}/off/app`), await buildImage({layers: [{a: 'a'}]}), 'a')
    const result = await runCli(['gc-hint', '-r', env.registry.host, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const doc = JSON.parse(result.stdout)
    expect(doc.deletionEnabled).to.equal(false)
    expect(doc.reclaimable).to.equal(null)
    expect(doc.warnings.join('\n')).to.contain('REGISTRY_STORAGE_DELETE_ENABLED=true')
  })
})
