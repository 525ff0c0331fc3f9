import {execFileSync} from 'node:child_process'
import {mkdir, mkdtemp, rm, symlink, truncate, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../helpers/cli.js'

const HEX = 'a'.repeat(64)
const DIGEST = `sha256:${HEX}`

/**
 * Crafted storage trees (`gc-hint --storage` is documented to run with sudo): FIFOs, symbolic links to
 * devices, out of the root and in loops, oversized files. Each run must end fast with exit 12 and one
 * line naming the bad path; nothing outside the root is read.
 */
describe('gc-hint --storage on hostile storage trees', function () {
  this.timeout(60_000)
  let root: string

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'reglens-hostile-'))
    await mkdir(join(root, 'docker/registry/v2/repositories/app/_layers'), {recursive: true})
    await mkdir(join(root, 'docker/registry/v2/blobs/sha256'), {recursive: true})
  })
  afterEach(() => rm(root, {recursive: true, force: true}))

  const v2 = (path: string) => join(root, 'docker/registry/v2', path)
  // Paths under the root of the current test (set in beforeEach).
  const tagLink = () => v2('repositories/app/_manifests/tags/latest/current/link')
  const revisionLink = () => v2(`repositories/app/_manifests/revisions/sha256/${HEX}/link`)
  const blobData = () => v2(`blobs/sha256/${HEX.slice(0, 2)}/${HEX}/data`)

  async function place(path: string, make: (path: string) => Promise<void> | void): Promise<void> {
    await mkdir(dirname(path), {recursive: true})
    await make(path)
  }

  async function expectOneLine(badPath: string, why: RegExp): Promise<void> {
    const started = Date.now()
    const result = await runCli(['gc-hint', '--storage', root])
    expect(Date.now() - started, 'seconds to fail').to.be.below(20_000)
    expect(result.code, result.stderr).to.equal(12)
    expect(result.stdout).to.equal('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines, result.stderr).to.have.length(1)
    expect(lines[0]).to.include(badPath)
    expect(lines[0]).to.match(why)
  }

  it('refuses a FIFO where a tag link should be, without waiting for a writer', async () => {
    await place(tagLink(), (path) => void execFileSync('mkfifo', [path]))
    await expectOneLine(tagLink(), /is not a regular file/)
  })

  it('refuses a tag link that is a symbolic link to /dev/zero, reading nothing from it', async () => {
    await place(tagLink(), (path) => symlink('/dev/zero', path))
    await expectOneLine(tagLink(), /is a symbolic link/)
  })

  it('refuses a revision link in a symbolic link loop', async () => {
    await place(revisionLink(), async (path) => {
      await symlink(`${path}.b`, path)
      await symlink(path, `${path}.b`)
    })
    await expectOneLine(revisionLink(), /is a symbolic link/)
  })

  it('refuses a repository directory that is a symbolic link out of the root', async () => {
    await symlink('/', v2('repositories/escape'))
    await expectOneLine(v2('repositories/escape'), /is a symbolic link/)
  })

  it('refuses blob data that is a symbolic link to a file outside the root', async () => {
    await place(blobData(), (path) => symlink('/etc/passwd', path))
    await expectOneLine(blobData(), /is a symbolic link/)
  })

  it("refuses a tag link larger than a link file can be, and a manifest over the registry's 4 MiB", async () => {
    await place(tagLink(), (path) => writeFile(path, `${DIGEST}\n${' '.repeat(4096)}`))
    await expectOneLine(tagLink(), /is 4168 bytes, more than the 1024/)
    await rm(tagLink())
    await place(revisionLink(), (path) => writeFile(path, DIGEST))
    await place(blobData(), async (path) => {
      await writeFile(path, '')
      await truncate(path, 5 * 1024 * 1024)
    })
    await expectOneLine(blobData(), /is 5242880 bytes, more than the 4194304/)
  })
})
