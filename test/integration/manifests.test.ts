import {expect} from 'chai'

import {buildImage, buildIndex, pushImage, pushIndex} from '../../src/devtools/images.js'
import {getBlob, openBlob} from '../../src/registry/blobs.js'
import {getManifest, headManifest} from '../../src/registry/manifests.js'
import {parseRepository} from '../../src/registry/reference.js'
import {MediaType} from '../../src/registry/types/media-types.js'
import {useRegistry} from '../helpers/registry.js'

describe('manifest and blob fetching against the real registry', function () {
  const env = useRegistry()

  it('gets a Docker schema2 image by tag with its digest verified and its type from the body', async () => {
    const repo = parseRepository(`${env.registry.host}/fetch/docker`)
    const image = await buildImage({format: 'docker', layers: [{'a.txt': 'a'}, {'b.txt': 'b'}]})
    await pushImage(env.client, repo, image, 'v1')
    const fetched = await getManifest(env.client, repo, 'v1')
    expect(fetched.digest).to.equal(image.manifest.digest)
    expect(fetched.mediaType).to.equal(MediaType.dockerManifest)
    expect(fetched.manifest.kind).to.equal('image')
    const head = await headManifest(env.client, repo, 'v1')
    expect(head?.digest).to.equal(image.manifest.digest)
    expect(await headManifest(env.client, repo, 'missing')).to.equal(undefined)
  })

  it('gets an OCI index by tag and each child by digest, never converted', async () => {
    const repo = parseRepository(`${env.registry.host}/fetch/multi`)
    const amd = await buildImage({layers: [{x: '1'}]})
    const arm = await buildImage({platform: {os: 'linux', architecture: 'arm64', variant: 'v8'}, layers: [{x: '2'}]})
    const index = await buildIndex([amd, arm], {attestations: true})
    await pushIndex(env.client, repo, index, 'latest')
    const fetched = await getManifest(env.client, repo, 'latest')
    expect(fetched.digest).to.equal(index.manifest.digest)
    expect(fetched.manifest.kind).to.equal('index')
    if (fetched.manifest.kind !== 'index') return
    expect(fetched.manifest.manifests).to.have.length(4)
    const child = await getManifest(env.client, repo, arm.manifest.digest)
    expect(child.digest).to.equal(arm.manifest.digest)
  })

  it('gets a config blob verified, and streams a layer whose bytes match the pushed ones', async () => {
    const repo = parseRepository(`${env.registry.host}/fetch/blobs`)
    const image = await buildImage({layers: [{'big.bin': Buffer.alloc(300_000, 7)}]})
    await pushImage(env.client, repo, image, 'v1')
    const config = await getBlob(env.client, repo, image.config.digest)
    expect(config.equals(image.config.bytes)).to.equal(true)
    const chunks: Buffer[] = []
    for await (const chunk of await openBlob(env.client, repo, image.layers[0].digest)) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).equals(image.layers[0].bytes)).to.equal(true)
  })
})
