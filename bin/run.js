#!/usr/bin/env node
import {execute} from '@oclif/core'

// `reglens ... | head` closes the pipe early: that is a normal end for a pipeline, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

await execute({dir: import.meta.url})
