import {isAscii} from 'node:buffer'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {useRegistry} from '../helpers/registry.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin/run.js')

describe('what the built CLI loads to list a small repository', function () {
  const env = useRegistry()
  const home = mkdtempSync(join(tmpdir(), 'reglens-startup-'))
  // Preloaded into the CLI's process: writes the Node built-in modules and the files it loaded when it exits.
  const preload = join(home, 'builtins.cjs')
  writeFileSync(
    preload,
    [
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.BUILTINS_OUT, process.moduleLoadList.join('\\n')))",
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.BUILTINS_OUT + '.files', Object.keys(require.cache).join('\\n')))",
    ].join('\n'),
  )

  /** The public built-in modules (`http2`, `child_process`…) and the files `reglens ARGS` loaded, its exit status and stdout. */
  function run(args: string[]): {builtins: string[]; files: string[]; status: number | null; stdout: string} {
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
    const files = readFileSync(`${out}.files`, 'utf8')
      .split('\n')
      .filter((file) => file !== preload)
    return {builtins, files, status: result.status, stdout: result.stdout}
  }

  before(async () => {
    await pushImage(env.client, parseRepository(`${env.registry.host}/small/app`), await buildImage({layers: [{'a.txt': 'a'}]}), 'v1')
  })

  it('tags list of a plain-HTTP registry: only the bundle; no HTTP/2, TLS, hashing, performance timers or child processes', () => {
    // Twice: the first run compiles and writes the code cache, the second runs from it.
    for (const round of [1, 2]) {
      const {builtins, files, status, stdout} = run(['tags', 'list', `${env.registry.host}/small/app`])
      expect(status, `round ${round}`).to.equal(0)
      expect(stdout).to.equal('TAG\nv1\n')
      expect(builtins).to.include('http')
      // HTTP/2 is never negotiated; the host has no scheme, yet its TLS probe needs no node:tls; nothing is
      // hashed or timed without --verbose; no credential helper was asked.
      for (const module of ['http2', 'tls', 'crypto', 'perf_hooks', 'child_process'])
        expect(builtins, `round ${round}`).not.to.include(module)
      // Nothing from node_modules (the HTTP parser's WebAssembly is read next to the bundle).
      const loaded = files.map((file) => relative(ROOT, file)).sort()
      expect(loaded, `round ${round}`).to.deep.equal(['bin/run.js', 'dist/bundle/cli.cjs', 'dist/bundle/loader.cjs'])
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
