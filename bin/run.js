#!/usr/bin/env node
import module from 'node:module'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {setFlagsFromString} from 'node:v8'

import {partOf, requireWithCodeCache} from '../dist/cli/code-cache.js'
import {cacheRoot} from '../dist/scan/paths.js'

// undici parses HTTP with a WebAssembly build of llhttp. V8 compiles it twice: quickly (Liftoff),
// then optimised on a background thread, and Node waits for that thread before it exits: about
// 200 ms of CPU and of idle wall time at the end of every command. The quick code parses a
// registry's answers fast enough; set before any WebAssembly is compiled.
setFlagsFromString('--liftoff-only')
// Node 22.1+ keeps compiled code on disk between runs; older Nodes lack the call.
module.enableCompileCache?.()

// `reglens ... | head` closes the pipe early: that is a normal end for a pipeline, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

// The bundle's import() calls (oclif's ESM plugins, the spinner) are this module's, see scripts/build-cli.js.
globalThis[Symbol.for('reglens.import')] = (specifier) => import(specifier)
// The CLI is one CommonJS bundle (scripts/build-cli.js), compiled with a V8 code cache (see code-cache.ts).
const bundle = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url))
const {buildId, commandWords} = JSON.parse(readFileSync(new URL('../dist/bundle/cli.json', import.meta.url), 'utf8'))
const argv = process.argv.slice(2)
const {main} = requireWithCodeCache(bundle, {
  directory: `${cacheRoot()}/code`,
  buildId,
  part: partOf(argv, commandWords),
})
await main(fileURLToPath(new URL('..', import.meta.url)), argv)
