import {cpSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import pLimit from 'p-limit'

import {buildImage, pushImage} from '../../dist/devtools/images.js'
import {headManifest} from '../../dist/registry/manifests.js'
import {pushManifest} from '../../dist/registry/push.js'
import {parseRepository} from '../../dist/registry/reference.js'
import {BIN} from './reglens.js'
import {run} from './proc.js'
import {sampleTags} from './peers.js'

/**
 * Listing at scale: one repository with many tags of a few manifests, many repositories, and the
 * peak RSS of `tags list` / `repos list` run as a user would (child process, stdout piped).
 *
 * Registry 2.8 takes a manifest PUT at a few hundred per second here, so 100k tags through the API
 * would take minutes. The first `apiTags` go through the API (their rate is reported); the rest are
 * written as the tag link files the registry writes for a PUT, then spot-checked through the API.
 */

const MAXRSS = new URL('./maxrss.js', import.meta.url).href

export const scaleTagName = (index) => `build-${String(index).padStart(6, '0')}`

function repositoriesRoot(storageDir) {
  return join(storageDir, 'docker/registry/v2/repositories')
}

/**
 * The tag link the registry's filesystem driver writes for `PUT /v2/<repo>/manifests/<tag>`, which
 * tag listing and manifest GET/HEAD read. (A PUT also records the tag's history under index/, which
 * only tag deletion reads; leaving it out halves the files to create and remove.)
 */
function writeTagLink(storageDir, repository, tag, digest) {
  const currentDir = join(repositoriesRoot(storageDir), repository, '_manifests/tags', tag, 'current')
  mkdirSync(currentDir, {recursive: true})
  writeFileSync(join(currentDir, 'link'), digest)
}

export async function seedScaleRepository(client, {host, storageDir, repository, apiTags, manifests, concurrency}) {
  const repo = parseRepository(`${host}/${repository}`)
  const images = []
  for (let index = 0; index < manifests; index++) {
    const image = await buildImage({layers: [{'scale.txt': `scale image ${index}\n`}], labels: {'bench.scale': String(index)}})
    await pushImage(client, repo, image, scaleTagName(index))
    images.push(image)
  }
  const limit = pLimit(concurrency)
  const started = performance.now()
  await Promise.all(
    Array.from({length: apiTags - manifests}, (_, offset) => offset + manifests).map((index) =>
      limit(() => {
        const image = images[index % manifests]
        return pushManifest(client, repo, scaleTagName(index), image.manifest.bytes, image.manifest.mediaType)
      }),
    ),
  )
  const apiMs = performance.now() - started
  let count = apiTags
  return {
    apiPutsPerSecond: ((apiTags - manifests) * 1000) / apiMs,
    /** Grows the repository to `target` tags on disk and checks a sample through the API. */
    async growTo(target) {
      const added = []
      for (; count < target; count++) {
        writeTagLink(storageDir, repository, scaleTagName(count), images[count % manifests].manifest.digest)
        added.push(count)
      }
      for (const index of sampleTags(added, 20)) {
        const head = await headManifest(client, repo, scaleTagName(index))
        if (head?.digest !== images[index % manifests].manifest.digest)
          throw new Error(`scale seeding: tag ${scaleTagName(index)} does not resolve through the API`)
      }
    },
  }
}

/** Copies one API-pushed repository to `count` names on disk (the catalog lists a directory per repository). */
export async function seedManyRepositories(client, {host, storageDir, count}) {
  const template = 'scale/repos/r-000000'
  const image = await buildImage({layers: [{'repo.txt': 'one of many\n'}]})
  await pushImage(client, parseRepository(`${host}/${template}`), image, 'latest')
  const names = [template]
  for (let index = 1; index < count; index++) {
    const name = `scale/repos/r-${String(index).padStart(6, '0')}`
    cpSync(join(repositoriesRoot(storageDir), template), join(repositoriesRoot(storageDir), name), {recursive: true})
    names.push(name)
  }
  for (const name of sampleTags(names, 10)) {
    const head = await headManifest(client, parseRepository(`${host}/${name}`), 'latest')
    if (head?.digest !== image.manifest.digest) throw new Error(`scale seeding: ${name}:latest does not resolve through the API`)
  }
  return names
}

/** Runs the CLI with the maxRSS reporter preloaded; stdout is counted, not kept, unless `parse`. */
export async function measureCli(args, {parse} = {}) {
  const result = await run(process.execPath, ['--import', MAXRSS, BIN, ...args], {
    discardStdout: !parse,
    env: {...process.env, XDG_CONFIG_HOME: '/nonexistent-reglens-bench', NO_COLOR: '1'},
  })
  const rss = /reglens-bench-maxrss-kb (\d+)/.exec(result.stderr)
  if (!rss) throw new Error(`no maxRSS line from reglens ${args.join(' ')}: ${result.stderr.slice(-500)}`)
  return {ms: result.ms, maxRssMb: Number(rss[1]) / 1024, stdoutBytes: result.stdoutBytes, ...(parse ? {output: parse(result.stdout)} : {})}
}
