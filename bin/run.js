#!/usr/bin/env node
'use strict'
// CommonJS (bin/package.json): Node 20 starts an ESM entry through its ESM loader, ~15 ms of CPU more.
const {readFileSync} = require('node:fs')
const {join} = require('node:path')

// undici parses HTTP with a WebAssembly build of llhttp. V8 compiles it twice: quickly (Liftoff),
// then optimised on a background thread, and Node waits for that thread before it exits: about
// 200 ms of CPU and of idle wall time at the end of every command. The quick code parses a
// registry's answers fast enough; set before any WebAssembly is compiled.
require('node:v8').setFlagsFromString('--liftoff-only')
// Node 22.1+ keeps compiled code on disk between runs; older Nodes lack the call.
require('node:module').enableCompileCache?.()

// `reglens ... | head` closes the pipe early: that is a normal end for a pipeline, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

// The bundle's import() calls (oclif's ESM plugins, the spinner) are this module's, see scripts/build-cli.js.
globalThis[Symbol.for('reglens.import')] = (specifier) => import(specifier)

// The CLI is one CommonJS bundle (scripts/build-cli.js), compiled with a V8 code cache (src/cli/code-cache.ts).
const root = join(__dirname, '..')
const {cacheRoot, partOf, requireWithCodeCache} = require('../dist/bundle/loader.cjs')
const {buildId, commandWords} = JSON.parse(readFileSync(join(root, 'dist/bundle/cli.json'), 'utf8'))
const argv = process.argv.slice(2)
const {main} = requireWithCodeCache(join(root, 'dist/bundle/cli.cjs'), {
  directory: join(cacheRoot(), 'code'),
  buildId,
  part: partOf(argv, commandWords),
  // The build writes the bundle in ASCII only.
  encoding: 'latin1',
})
// A rejection here is a bug oclif's handler did not catch: Node prints it and exits 1.
main(root, argv, commandWords)
