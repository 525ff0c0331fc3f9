import {createHash} from 'node:crypto'
import {performance} from 'node:perf_hooks'

import pLimit from 'p-limit'

import {buildImage, buildIndex, pushImage, pushIndex, tarLayer} from '../../dist/devtools/images.js'
import {pushBlob, pushManifest} from '../../dist/registry/push.js'
import {parseRepository} from '../../dist/registry/reference.js'

/**
 * The benchmark's registry content, seeded through the API: `repos` repositories sharing `tags`
 * tags; every fifth tag re-points at the previous tag's manifest (so a fifth of tags share a digest),
 * every tenth tag is a two-platform OCI index with buildx-style attestations, the rest are single
 * images alternating OCI and Docker formats. Deterministic: the same options give the same digests.
 */

export function tagKind(index) {
  if (index % 5 === 4) return 'alias'
  if (index % 10 === 0) return 'index'
  return 'image'
}

export function tagName(index) {
  return `v1.${Math.floor(index / 10)}.${index % 10}`
}

/** Deterministic filler so layers have realistic (incompressible-ish) bytes without randomness. */
function filler(seed, size) {
  const out = Buffer.alloc(size)
  let block = Buffer.from(seed)
  for (let offset = 0; offset < size; offset += 32) {
    block = createHash('sha256').update(block).digest()
    block.copy(out, offset)
  }
  return out
}

export async function seedWorkload(client, {host, repos, tags, concurrency}) {
  const started = performance.now()
  const baseLayer = await tarLayer({'base/data.bin': filler('reglens-bench-base', 256 * 1024)})
  const appLayer = await tarLayer({'app/data.bin': filler('reglens-bench-app', 32 * 1024)})
  const limit = pLimit(concurrency)
  const repoNames = Array.from({length: repos}, (_, r) => `bench/app-${String(r).padStart(3, '0')}`)
  const perRepo = repoNames.map((_, r) => Math.floor(tags / repos) + (r < tags % repos ? 1 : 0))
  const entries = []
  const digests = {tagManifests: new Set(), childManifests: new Set(), configs: new Set()}
  const requestsBefore = client.requests.total

  const image = (repo, index, platform, format) =>
    buildImage({
      format,
      platform,
      created: new Date(Date.UTC(2024, 0, 1) + index * 3_600_000).toISOString(),
      layers: [baseLayer, appLayer],
      labels: {'bench.repo': repo, 'bench.tag': String(index), 'bench.arch': platform.architecture},
    })

  const pushOne = async (repoName, index) => {
    const repository = parseRepository(`${host}/${repoName}`)
    const tag = tagName(index)
    if (tagKind(index) === 'index') {
      const children = await Promise.all([
        image(repoName, index, {os: 'linux', architecture: 'amd64'}, 'oci'),
        image(repoName, index, {os: 'linux', architecture: 'arm64', variant: 'v8'}, 'oci'),
      ])
      const built = await buildIndex(children, {format: 'oci', attestations: true})
      const digest = await pushIndex(client, repository, built, tag)
      for (const child of [...built.children, ...built.attestations]) {
        digests.childManifests.add(child.manifest.digest)
        digests.configs.add(child.config.digest)
      }
      // What describing the tag needs beyond its own manifest: each platform's manifest and config (not attestations).
      const needs = built.children.flatMap((child) => [`/manifests/${child.manifest.digest}`, `/blobs/${child.config.digest}`])
      return {repository: repoName, tag, kind: 'index', digest, mediaType: built.manifest.mediaType, bytes: built.manifest.bytes, needs}
    }
    const built = await image(repoName, index, {os: 'linux', architecture: 'amd64'}, index % 2 === 0 ? 'oci' : 'docker')
    const digest = await pushImage(client, repository, built, tag)
    digests.configs.add(built.config.digest)
    return {
      repository: repoName,
      tag,
      kind: 'image',
      digest,
      mediaType: built.manifest.mediaType,
      bytes: built.manifest.bytes,
      needs: [`/blobs/${built.config.digest}`],
    }
  }

  // Shared layers go in once per repository first: concurrent uploads of one blob race in the
  // registry's filesystem driver (a half-written link file reads as DIGEST_INVALID).
  await Promise.all(
    repoNames.flatMap((repoName) =>
      [baseLayer, appLayer].map((layer) => limit(() => pushBlob(client, parseRepository(`${host}/${repoName}`), layer))),
    ),
  )
  // Originals next (concurrently), then aliases re-put the manifest they share under their own tag.
  const originals = new Map()
  await Promise.all(
    repoNames.flatMap((repoName, r) =>
      Array.from({length: perRepo[r]}, (_, index) => index)
        .filter((index) => tagKind(index) !== 'alias')
        .map((index) => limit(async () => originals.set(`${repoName}:${index}`, await pushOne(repoName, index)))),
    ),
  )
  await Promise.all(
    repoNames.flatMap((repoName, r) =>
      Array.from({length: perRepo[r]}, (_, index) => index)
        .filter((index) => tagKind(index) === 'alias')
        .map((index) =>
          limit(async () => {
            const target = originals.get(`${repoName}:${index - 1}`)
            const tag = tagName(index)
            await pushManifest(client, parseRepository(`${host}/${repoName}`), tag, target.bytes, target.mediaType)
            originals.set(`${repoName}:${index}`, {...target, tag, kind: 'alias', aliasOf: target.tag})
          }),
        ),
    ),
  )
  // The floor: the fewest requests any client needs to describe every tag (one list per repository,
  // one manifest GET per tag, then each platform manifest and config not yet seen, once).
  const floor = []
  let described = 0
  repoNames.forEach((repoName, r) => {
    floor.push(`/v2/${repoName}/tags/list`)
    const seen = new Set()
    for (let index = 0; index < perRepo[r]; index++) {
      const {tag, kind, digest, mediaType, aliasOf, needs} = originals.get(`${repoName}:${index}`)
      const entry = {repository: repoName, tag, kind, digest, mediaType, ...(aliasOf ? {aliasOf} : {})}
      entries.push(entry)
      digests.tagManifests.add(`${repoName}@${entry.digest}`)
      floor.push(`/v2/${repoName}/manifests/${entry.tag}`)
      for (const need of needs) {
        if (seen.has(need)) continue
        seen.add(need)
        floor.push(`/v2/${repoName}${need}`)
      }
    }
    described += seen.size
  })
  return {
    repositories: repoNames,
    tags: entries,
    floorPaths: floor,
    counts: {
      repositories: repoNames.length,
      tags: entries.length,
      aliasTags: entries.filter((entry) => entry.kind === 'alias').length,
      indexTags: entries.filter((entry) => entry.kind === 'index').length,
      distinctTagDigests: digests.tagManifests.size,
      childManifests: digests.childManifests.size,
      configs: digests.configs.size,
      // Distinct digests a full description reads: tag manifests, platform manifests, their configs.
      describedDigests: digests.tagManifests.size + described,
      floorRequests: floor.length,
    },
    seed: {ms: performance.now() - started, requests: client.requests.total - requestsBefore},
  }
}
