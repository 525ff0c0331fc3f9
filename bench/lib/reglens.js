import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {performance} from 'node:perf_hooks'

import pLimit from 'p-limit'

import {RegistryClient} from '../../dist/registry/client.js'
import {endpointFromUrl} from '../../dist/registry/endpoint.js'
import {getManifest} from '../../dist/registry/manifests.js'
import {parseRepository} from '../../dist/registry/reference.js'
import {listTags} from '../../dist/registry/tags.js'
import {run} from './proc.js'

/** Runs reglens the way a user would (the built CLI, one process per repository) and in-process (the library). */

export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const REQUEST_LINE = /^\* (GET|HEAD|PUT|POST|PATCH|DELETE) (\S+) → /

/** Request lines of a `--verbose` run: method and URL of every HTTP attempt. */
export function requestLines(stderr) {
  return stderr.split('\n').flatMap((line) => {
    const match = REQUEST_LINE.exec(line)
    return match ? [{method: match[1], url: match[2]}] : []
  })
}

/**
 * The digest each request read: blobs and manifests by digest name it; a manifest by tag is looked
 * up in the seeded plan (`repo:tag` → digest). Listings read no digest.
 */
export function digestOfRequest(url, tagDigests) {
  const match = /\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(new URL(url).pathname)
  if (!match) return undefined
  const [, repository, , reference] = match
  return reference.includes(':') ? reference : tagDigests.get(`${repository}:${reference}`)
}

export function summarizeRequests(lines, tagDigests) {
  const byMethod = {}
  const digests = new Set()
  for (const line of lines) {
    byMethod[line.method] = (byMethod[line.method] ?? 0) + 1
    const digest = digestOfRequest(line.url, tagDigests)
    if (digest) digests.add(digest)
  }
  return {requests: lines.length, byMethod, distinctDigests: digests.size}
}

/** Whether the built CLI knows a flag of a command (features land on other branches). */
export async function cliHasFlag(command, flag) {
  const help = await run(process.execPath, [BIN, ...command, '--help'], {allowFailure: true})
  return help.code === 0 && help.stdout.includes(flag)
}

/**
 * Runs the CLI once per argument vector, in series as a shell loop would (one per repository, or one
 * for the whole registry); counts the request lines of `--verbose` on stderr.
 */
export async function cliJob({invocations, concurrency, tagDigests, countItems}) {
  const lines = []
  let items = 0
  const started = performance.now()
  for (const args of invocations) {
    const result = await run(process.execPath, [BIN, ...args, '--json', '--verbose', '--concurrency', String(concurrency)], {
      env: {...process.env, XDG_CONFIG_HOME: '/nonexistent-reglens-bench', NO_COLOR: '1'},
    })
    items += countItems(JSON.parse(result.stdout))
    lines.push(...requestLines(result.stderr))
  }
  return {ms: performance.now() - started, items, processes: invocations.length, ...summarizeRequests(lines, tagDigests)}
}

/** The image modules of the `--details` work, when this build has them. */
export async function loadImageLibrary() {
  const base = new URL('../../dist/image/', import.meta.url)
  const files = ['content-cache.js', 'tags.js'].map((name) => new URL(name, base))
  if (!files.every((file) => existsSync(fileURLToPath(file)))) return undefined
  const [{ContentCache}, {describeTags}] = await Promise.all(files.map((file) => import(file.href)))
  return ContentCache && describeTags ? {ContentCache, describeTags} : undefined
}

/** In-process over every repository with one client: describeTags when built, else a getManifest loop. */
export async function libraryJob({registryUrl, host, repositories, concurrency, imageLibrary}) {
  const client = new RegistryClient(endpointFromUrl(registryUrl), {transport: {connections: concurrency}})
  let items = 0
  const started = performance.now()
  try {
    if (imageLibrary) {
      const cache = new imageLibrary.ContentCache(client, {concurrency})
      for (const name of repositories) {
        const repository = parseRepository(`${host}/${name}`)
        for await (const described of imageLibrary.describeTags(cache, repository, listTags(client, repository))) {
          if (described.error) throw described.error
          items++
        }
      }
    } else {
      const limit = pLimit(concurrency)
      for (const name of repositories) {
        const repository = parseRepository(`${host}/${name}`)
        const tags = []
        for await (const tag of listTags(client, repository)) tags.push(tag)
        await Promise.all(tags.map((tag) => limit(() => getManifest(client, repository, tag))))
        items += tags.length
      }
    }
    return {
      ms: performance.now() - started,
      items,
      requests: client.requests.total,
      mode: imageLibrary ? 'describeTags' : 'getManifest loop',
    }
  } finally {
    await client.close()
  }
}
