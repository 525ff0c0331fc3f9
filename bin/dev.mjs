#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the TypeScript sources directly (no build); for development only. This directory is CommonJS
// (its package.json), so this file is an .mjs and oclif is given the package root.
import {execute} from '@oclif/core'

await execute({development: true, dir: new URL('..', import.meta.url).href})
