#!/usr/bin/env node
import module from 'node:module'
import {fileURLToPath} from 'node:url'
import {setFlagsFromString} from 'node:v8'

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

const {main} = await import('../dist/bundle/cli/main.js')
await main(fileURLToPath(new URL('..', import.meta.url)))
