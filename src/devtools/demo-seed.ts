import pLimit from 'p-limit'

import {buildImage, buildIndex, pushImage, pushIndex} from './images.js'
import {pushReferrers} from './referrers.js'
import type {RegistryClient} from '../registry/client.js'
import {pushManifest} from '../registry/push.js'
import {repositoryIn} from '../registry/reference.js'

/** What the demo seed pushed: repository → tags. Tests compare reglens's listings with it. */
export type SeedSummary = Record<string, string[]>

const created = (day: number) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString()

/**
 * Seeds a registry with one of each kind of image users meet: Docker schema2, OCI image, a
 * multi-arch OCI index with buildx-style attestations, a Docker manifest list, nested names, and a
 * repository with 260 tags over a few manifests, and a signed repository (signatures, attestations, SBOMs).
 */
export async function seedDemo(client: RegistryClient): Promise<SeedSummary> {
  const repo = (name: string) => repositoryIn(client.endpoint.host, name)
  const summary: SeedSummary = {}
  const base = {'etc/os-release': 'ID=demo\nVERSION_ID=1\n'}

  const hello = await buildImage({format: 'docker', created: created(0), layers: [base, {'hello.txt': 'hello, world\n'}], cmd: ['/hello']})
  for (const tag of ['1.0', 'latest']) await pushImage(client, repo('demo/hello'), hello, tag)
  summary['demo/hello'] = ['1.0', 'latest']

  const ociTags = ['1.0.0', '1.1.0', 'latest']
  for (const [index, tag] of ociTags.entries()) {
    const image = await buildImage({
      format: 'oci',
      created: created(10 + index),
      layers: [base, {'app.js': `console.log(${index})\n`}],
      labels: {'org.opencontainers.image.version': tag},
    })
    await pushImage(client, repo('demo/oci-app'), image, tag)
  }
  summary['demo/oci-app'] = ociTags

  const platforms = [
    {os: 'linux', architecture: 'amd64'},
    {os: 'linux', architecture: 'arm64', variant: 'v8'},
    {os: 'linux', architecture: 'arm', variant: 'v7'},
  ]
  const apiTags = ['v1.0.0', 'v1.1.0', 'latest']
  for (const [version, tag] of apiTags.entries()) {
    const children = await Promise.all(
      platforms.map((platform) =>
        buildImage({format: 'oci', platform, created: created(20 + version), layers: [base, {api: `${tag} ${platform.architecture}`}]}),
      ),
    )
    await pushIndex(client, repo('team/app/api'), await buildIndex(children, {format: 'oci', attestations: true}), tag)
  }
  summary['team/app/api'] = apiTags

  const webChildren = await Promise.all(
    platforms
      .slice(0, 2)
      .map((platform) =>
        buildImage({format: 'docker', platform, created: created(30), layers: [base, {'index.html': `<h1>${platform.architecture}</h1>`}]}),
      ),
  )
  const web = await buildIndex(webChildren, {format: 'docker'})
  for (const tag of ['2.0', 'latest']) await pushIndex(client, repo('team/app/web'), web, tag)
  summary['team/app/web'] = ['2.0', 'latest']

  // 260 tags over 5 images: tags sharing a digest are the common case in CI registries.
  const many = repo('big/many-tags')
  const builds = await Promise.all(
    Array.from({length: 5}, (_, i) => buildImage({format: 'oci', created: created(40 + i), layers: [base, {build: `build ${i}`}]})),
  )
  // One after another: concurrent uploads of the same (shared base) blob make registry 2.8 reject the manifest.
  for (const image of builds) await pushImage(client, many, image)
  const manyTags = Array.from({length: 260}, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`)
  const limit = pLimit(8)
  await Promise.all(
    manyTags.map((tag, i) =>
      limit(() => pushManifest(client, many, tag, builds[i % builds.length].manifest.bytes, builds[i % builds.length].manifest.mediaType)),
    ),
  )
  summary['big/many-tags'] = manyTags

  // A signed repository: each image with a cosign signature and attestation and an SBOM artifact (referrer tags are not listed as images).
  const signed = repo('demo/signed')
  for (const n of [1, 2, 3]) {
    const image = await buildImage({format: 'oci', created: created(50 + n), layers: [base, {'signed.txt': `release ${n}`}]})
    const digest = await pushImage(client, signed, image, `v${n}`)
    await pushReferrers(client, signed, {digest, size: image.manifest.bytes.length, mediaType: image.manifest.mediaType}, created(50 + n))
  }
  summary['demo/signed'] = ['v1', 'v2', 'v3']
  return summary
}
