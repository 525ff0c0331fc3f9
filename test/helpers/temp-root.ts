import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * Mocha loads this before the test files: the run's temp files (test data, registries, CLI runs,
 * which inherit TMPDIR) all go under one directory, removed when the run ends, so a run leaves
 * nothing behind in the system temp directory.
 */
const root = mkdtempSync(join(tmpdir(), 'reglens-test-run-'))
process.env.TMPDIR = root

export function mochaGlobalTeardown(): void {
  rmSync(root, {recursive: true, force: true})
}
