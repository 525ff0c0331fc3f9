import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import {Agent, request} from 'undici'

import {MANIFEST_ACCEPT} from '../../dist/registry/types/media-types.js'
import {run, which} from './proc.js'

/**
 * The registry's own ceiling: how fast it serves manifest GETs on loopback to a client that does
 * nothing else (keep-alive, `concurrency` requests in flight, bodies read and dropped).
 */

export function manifestUrls(registryUrl, tags) {
  return tags.map((entry) => `${registryUrl}/v2/${entry.repository}/manifests/${entry.tag}`)
}

/** GETs every URL once with a bare undici pool (manifests with the full Accept list); returns wall time and bytes. */
export async function undiciLoop(urls, {concurrency}) {
  const agent = new Agent({connections: concurrency, keepAliveTimeout: 30_000})
  let next = 0
  let bytes = 0
  const started = performance.now()
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]
      const response = await request(url, {dispatcher: agent, headers: url.includes('/manifests/') ? {accept: MANIFEST_ACCEPT} : {}})
      if (response.statusCode !== 200) throw new Error(`ceiling: ${url} → HTTP ${response.statusCode}`)
      for await (const chunk of response.body) bytes += chunk.length
    }
  }
  try {
    await Promise.all(Array.from({length: concurrency}, worker))
  } finally {
    await agent.close()
  }
  const ms = performance.now() - started
  return {ms, requests: urls.length, bytes}
}

const WRK_SCRIPT = `
-- Cycles through manifest paths listed one per line in the file named by WRK_PATHS.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
wrk.headers["Accept"] = os.getenv("WRK_ACCEPT")
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`

/** wrk at the same connection count over the same paths, for `seconds`; undefined + reason when absent. */
export async function wrkRun(registryUrl, urls, {concurrency, seconds, workDir}) {
  const wrk = which('wrk')
  if (!wrk) return {skipped: 'wrk is not installed (apt-get install wrk)'}
  const script = join(workDir, 'manifests.lua')
  const pathsFile = join(workDir, 'manifest-paths.txt')
  writeFileSync(script, WRK_SCRIPT)
  writeFileSync(pathsFile, urls.map((url) => new URL(url).pathname).join('\n') + '\n')
  const threads = Math.max(1, Math.min(2, concurrency))
  const result = await run(
    wrk,
    ['-t', String(threads), '-c', String(concurrency), '-d', `${seconds}s`, '--latency', '-s', script, registryUrl],
    {
      env: {...process.env, WRK_PATHS: pathsFile, WRK_ACCEPT: MANIFEST_ACCEPT},
    },
  )
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout)
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(result.stdout)
  const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(result.stdout)
  if (!rate) throw new Error(`wrk printed no rate: ${result.stdout}`)
  if (non2xx) throw new Error(`wrk saw ${non2xx[1]} error responses: is the path list right?`)
  const unit = {us: 0.001, ms: 1, s: 1000}
  return {perSecond: Number(rate[1]), p50Ms: p50 ? Number(p50[1]) * unit[p50[2]] : null, threads, seconds}
}
