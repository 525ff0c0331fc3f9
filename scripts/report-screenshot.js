#!/usr/bin/env node
// Regenerates docs/report.png, the README's picture of `reglens report --html`: starts the demo
// registry (temp storage), seeds it, writes its report with a sample cleanup policy, and screenshots
// the page in headless Chromium. Needs `npm run build`, docker-registry and chromium (Debian packages).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {openFile} from '../dist/devtools/chromium.js'
import {seedDemo} from '../dist/devtools/demo-seed.js'
import {startRegistry} from '../dist/devtools/registry-server.js'
import {RegistryClient} from '../dist/registry/client.js'
import {endpointFromUrl} from '../dist/registry/endpoint.js'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const output = fileURLToPath(new URL('../docs/report.png', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'reglens-report-screenshot-'))

const registry = await startRegistry()
try {
  const client = new RegistryClient(endpointFromUrl(registry.url))
  await seedDemo(client)
  await client.close()
  const policy = join(work, 'cleanup.yaml')
  writeFileSync(policy, "rules:\n  - repositories: '^big/'\n    keep_last: 2\n  - repositories: '^demo/oci-app$'\n    keep_last: 1\n")
  const page = join(work, 'report.html')
  const args = ['report', '--registry', registry.host, '--html', page, '--policy', policy, '--storage', registry.storageDir, '--quiet']
  const run = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', 'ignore', 'inherit']})
  if (run.status !== 0) throw new Error(`reglens ${args.join(' ')} exited with ${run.status}`)
  const opened = await openFile(page, {width: 1100})
  try {
    await opened.page.screenshot({path: output, fullPage: true})
    if (opened.errors.length > 0 || opened.requests.length > 0)
      throw new Error(`the page logged errors ${JSON.stringify(opened.errors)} or made requests ${JSON.stringify(opened.requests)}`)
  } finally {
    await opened.close()
  }
  process.stderr.write(`wrote ${output} (report of the demo registry: ${page})\n`)
} finally {
  await registry.stop()
}
