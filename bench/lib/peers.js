import {performance} from 'node:perf_hooks'

import {MANIFEST_ACCEPT} from '../../dist/registry/types/media-types.js'
import {run, versionOf, which} from './proc.js'

/**
 * Peers doing the same job the way people script it today: one process per tag, in series. They run
 * on an evenly spread sample of tags and are extrapolated per tag (they are slow and linear).
 */

export function sampleTags(tags, size) {
  if (tags.length <= size) return tags
  const step = tags.length / size
  return Array.from({length: size}, (_, index) => tags[Math.floor(index * step)])
}

export const PEERS = [
  {
    name: 'skopeo inspect --raw (loop)',
    binary: 'skopeo',
    install: 'apt-get install skopeo',
    args: (host, entry) => ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${entry.repository}:${entry.tag}`],
  },
  {
    name: 'curl manifest GET (loop)',
    binary: 'curl',
    install: 'apt-get install curl',
    args: (host, entry) => [
      '-sSf',
      '-o',
      '/dev/null',
      '-H',
      `Accept: ${MANIFEST_ACCEPT}`,
      `http://${host}/v2/${entry.repository}/manifests/${entry.tag}`,
    ],
  },
  {
    name: 'crane manifest (loop)',
    binary: 'crane',
    install: 'go install github.com/google/go-containerregistry/cmd/crane@latest',
    args: (host, entry) => ['manifest', '--insecure', `${host}/${entry.repository}:${entry.tag}`],
  },
]

/** Runs one peer serially over the sample; returns ms per tag, or a skip reason when it is not installed. */
export async function peerLoop(peer, host, sample) {
  const binary = which(peer.binary)
  if (!binary) return {skipped: `${peer.binary} is not installed (${peer.install})`}
  const started = performance.now()
  for (const entry of sample) await run(binary, peer.args(host, entry), {discardStdout: true})
  const ms = performance.now() - started
  return {
    ms,
    tags: sample.length,
    msPerTag: ms / sample.length,
    version: versionOf(binary, peer.binary === 'crane' ? ['version'] : ['--version']),
  }
}
