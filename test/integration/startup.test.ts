import {isAscii} from 'node:buffer'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {useRegistry} from '../helpers/registry.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

describe('what the built CLI loads to list a small repository', function () {
  const env = useRegistry()
  const home = mkdtempSync(join(tmpdir(), 'reglens-startup-'))
  // Preloaded into the CLI's process: writes the Node built-in modules it loaded when it exits.
  const preload = join(home, 'builtins.cjs')
  writeFileSync(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.BUILTINS_OUT, process.moduleLoadList.join('\\n')))\n",
  )

  /** The public built-in modules (`http2`, `child_process`…) `reglens ARGS` loaded, and its exit status and stdout. */
  function run(args: string[]): {builtins: string[]; status: number | null; stdout: string} {
    const out = join(home, 'loaded.txt')
    const result = spawnSync(process.execPath, ['--require', preload, BIN, ...args], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_CACHE_HOME: join(home, 'cache'),
        BUILTINS_OUT: out,
      },
    })
    const builtins = readFileSync(out, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('NativeModule ') && !line.includes(' internal/'))
      .map((line) => line.slice('NativeModule '.length))
    return {builtins, status: result.status, stdout: result.stdout}
  }

  before(async () => {
    await pushImage(env.client, parseRepository(`${env.registry.host}/small/app`), await buildImage({layers: [{'a.txt': 'a'}]}), 'v1')
  })

  it('tags list of a plain-HTTP registry: no HTTP/2, TLS, hashing, performance timers or child processes', () => {
    // Twice: the first run compiles and writes the code cache, the second runs from it.
    for (const round of [1, 2]) {
      const {builtins, status, stdout} = run(['tags', 'list', `${env.registry.host}/small/app`])
      expect(status, `round ${round}`).to.equal(0)
      expect(stdout).to.equal('TAG\nv1\n')
      expect(builtins).to.include('http')
      // HTTP/2 is never negotiated; the host has no scheme, yet its TLS probe needs no node:tls; nothing is
      // hashed or timed without --verbose; no credential helper was asked.
      for (const module of ['http2', 'tls', 'crypto', 'perf_hooks', 'child_process'])
        expect(builtins, `round ${round}`).not.to.include(module)
    }
  })

  it('the bundle is ASCII, which bin/run.js reads as latin1', () => {
    expect(isAscii(readFileSync(fileURLToPath(new URL('../../dist/bundle/cli.cjs', import.meta.url))))).to.equal(true)
  })

  it('--version: no network module at all', () => {
    const {builtins, status} = run(['--version'])
    expect(status).to.equal(0)
    for (const module of ['http', 'http2', 'tls', 'child_process', 'crypto']) expect(builtins).not.to.include(module)
  })
})
