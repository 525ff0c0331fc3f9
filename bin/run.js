#!/usr/bin/env node
import {execute} from '@oclif/core'

// `reglens ... | head` closes stdout early: that is a normal end for a pipeline, not a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

await execute({dir: import.meta.url})
