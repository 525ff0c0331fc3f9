import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {cacheFileName, decodeCache, encodeCache, partOf} from '../../src/cli/code-cache.js'

const LOADER = fileURLToPath(new URL('../../src/cli/code-cache.ts', import.meta.url))

/**
 * Loads `bundle` through requireWithCodeCache in a fresh Node (a code cache belongs to a process's
 * V8), prints what the bundle exports and whether V8 took the cache.
 */
function load(bundle: string, directory: string, buildId = 'b1'): {stdout: string; stderr: string; status: number | null} {
  const script = `
    import {Script} from 'node:vm'
    const taken = []
    const original = Script.prototype.runInThisContext
    Script.prototype.runInThisContext = function (...args) {
      taken.push(this.cachedDataRejected)
      return original.apply(this, args)
    }
    const {requireWithCodeCache} = await import(${JSON.stringify(LOADER)})
    const exports = requireWithCodeCache(${JSON.stringify(bundle)}, {directory: ${JSON.stringify(directory)}, buildId: ${JSON.stringify(buildId)}, part: 'tags'})
    const again = (await import('node:module')).createRequire(import.meta.url)(${JSON.stringify(bundle)})
    console.log(JSON.stringify({answer: exports.answer(), same: again === exports, rejected: taken[0] ?? null}))
  `
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'})
  return {stdout: result.stdout.trim(), stderr: result.stderr, status: result.status}
}

describe('the code cache of the CLI bundle', () => {
  const home = mkdtempSync(join(tmpdir(), 'reglens-code-cache-'))
  const bundle = join(home, 'cli.cjs')
  writeFileSync(bundle, "'use strict'\nconst path = require('node:path')\nexports.answer = () => path.basename('/x/42')\n")

  it('frames a payload and refuses files that are not ours or are cut short', () => {
    const data = Buffer.from('payload of V8')
    const file = encodeCache(data)
    expect(decodeCache(file)?.equals(data)).to.equal(true)
    expect(decodeCache(file.subarray(0, file.length - 1))).to.equal(undefined)
    expect(decodeCache(Buffer.concat([file, Buffer.from('x')]))).to.equal(undefined)
    expect(decodeCache(Buffer.from('RLC'))).to.equal(undefined)
    const foreign = Buffer.from(file)
    foreign[0] ^= 0xff
    expect(decodeCache(foreign)).to.equal(undefined)
  })

  it('names files by build, Node version and part, with only safe characters', () => {
    const name = cacheFileName({buildId: 'abc', part: '../x y'})
    expect(name).to.equal(`abc-${process.version.replace(/[^\w.]/g, '_')}-${process.arch}-.._x_y.v8cache`)
    expect(name).not.to.contain('/')
    expect(partOf(['tags', 'list', 'r/a'], ['tags', 'repos'])).to.equal('tags')
    expect(partOf(['--version'], ['tags'])).to.equal('other')
    expect(partOf(['tgas'], ['tags'])).to.equal('other')
    expect(partOf([], ['tags'])).to.equal('other')
  })

  it('runs the bundle as require() would, writes a cache on the first run, and V8 takes it on the next', () => {
    const directory = join(home, 'first')
    const first = load(bundle, directory)
    expect(first.status, first.stderr).to.equal(0)
    expect(JSON.parse(first.stdout)).to.deep.equal({answer: '42', same: true, rejected: null})
    const [file] = readdirSync(directory)
    expect(file).to.match(/^b1-.*-tags\.v8cache$/)
    const second = load(bundle, directory)
    expect(JSON.parse(second.stdout)).to.deep.equal({answer: '42', same: true, rejected: false})
  })

  it('a damaged, foreign or unreadable cache file only means compiling without it, and is replaced', () => {
    const directory = join(home, 'damaged')
    load(bundle, directory)
    const [file] = readdirSync(directory)
    const path = join(directory, file)
    const good = readFileSync(path)
    // Our header over garbage: V8 rejects the payload, the bundle still runs, a good cache is written.
    const garbage = encodeCache(Buffer.alloc(good.length - 8, 0xa5))
    writeFileSync(path, garbage)
    const damaged = load(bundle, directory)
    expect(damaged.status, damaged.stderr).to.equal(0)
    expect(JSON.parse(damaged.stdout)).to.deep.equal({answer: '42', same: true, rejected: true})
    expect(readFileSync(path).equals(garbage)).to.equal(false)
    // Cut short, or not a cache at all: not given to V8.
    for (const contents of [good.subarray(0, 100), Buffer.from('#!/bin/sh\necho hi\n')]) {
      writeFileSync(path, contents)
      const result = load(bundle, directory)
      expect(JSON.parse(result.stdout)).to.deep.equal({answer: '42', same: true, rejected: null})
    }
    // A directory where the file should be, or an unwritable cache directory.
    const blocked = join(home, 'blocked')
    mkdirSync(join(blocked, cacheFileName({buildId: 'b1', part: 'tags'})), {recursive: true})
    expect(JSON.parse(load(bundle, blocked).stdout).answer).to.equal('42')
    const notADirectory = join(home, 'file')
    writeFileSync(notADirectory, '')
    expect(JSON.parse(load(bundle, join(notADirectory, 'cache')).stdout).answer).to.equal('42')
  })

  it('a new build removes the caches of the old one', () => {
    const directory = join(home, 'builds')
    load(bundle, directory, 'old')
    load(bundle, directory, 'new')
    expect(readdirSync(directory).map((name) => name.split('-')[0])).to.deep.equal(['new'])
  })
})
