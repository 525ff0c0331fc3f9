import {createHash} from 'node:crypto'
import {createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'

import {buildImage, pushImage} from '../../dist/devtools/images.js'
import {parseRepository} from '../../dist/registry/reference.js'
import {run} from './proc.js'
import {measureCli} from './scale.js'

/**
 * Layer throughput of the builtin scanner: one gzip layer of real files (this checkout's node_modules,
 * plus the system's shared libraries when present, ~200+ MB compressed), pushed to the registry; per
 * round, `gzip -dc | tar -t` on the same blob, then `reglens image sbom` of the image (a fresh cache each
 * time, so the layer is read from the registry).
 */
export async function layerThroughput(client, {host, rounds}) {
  const dir = mkdtempSync(join(os.tmpdir(), 'reglens-bench-layer-'))
  try {
    const file = join(dir, 'layer.tgz')
    const sources = [
      ['-C', new URL('../..', import.meta.url).pathname, 'node_modules'],
      ...(existsSync('/usr/lib/x86_64-linux-gnu') ? [['-C', '/usr', 'lib/x86_64-linux-gnu']] : []),
    ]
    await run('tar', ['czf', file, ...sources.flat()], {discardStdout: true})
    const hash = createHash('sha256')
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        hash.update(chunk)
        callback()
      },
    })
    await pipeline(createReadStream(file), createGunzip(), sink)
    const image = await buildImage({layers: [{gzip: readFileSync(file), diffId: `sha256:${hash.digest('hex')}`}]})
    await pushImage(client, parseRepository(`${host}/bench/layer`), image, 'v1')
    const runs = []
    for (let round = 0; round < rounds; round++) {
      // The 1-minute load average before each pair: on a shared machine it explains a round's noise.
      const loadAverage = Math.round(os.loadavg()[0] * 100) / 100
      const baseline = await run('sh', ['-c', `gzip -dc '${file}' | tar -t`], {discardStdout: true})
      process.env.XDG_CACHE_HOME = mkdtempSync(join(dir, 'cache-'))
      const reglens = await measureCli(['image', 'sbom', `${host}/bench/layer:v1`, '--json'])
      runs.push({loadAverage, baselineMs: baseline.ms, reglensMs: reglens.ms, maxRssMb: reglens.maxRssMb})
    }
    return {compressedBytes: statSync(file).size, runs}
  } finally {
    delete process.env.XDG_CACHE_HOME
    rmSync(dir, {recursive: true, force: true})
  }
}
