import {createReadStream} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {parseModInfo, readGoBuildInfo, stdlibVersion} from '../../../src/scan/inventory/parsers/go-buildinfo.js'
import {findingsFor} from '../../../src/scan/match.js'
import {parseOsvEntry} from '../../../src/scan/osv/schema.js'
import {Database, DatabaseWriter} from '../../../src/scan/osv/store.js'

/** esbuild's Linux binary (a devDependency pinned at 0.28.2): a real Go program built with modules. */
const ESBUILD_BINARY = createRequire(import.meta.url).resolve('@esbuild/linux-x64/bin/esbuild')

/** Streams a file in small chunks, so that patterns straddle chunk boundaries. */
const chunked = async (path: string, size: number) => {
  const bytes = await readFile(path)
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
    })(),
  )
}

describe('Go build info', () => {
  it("reads esbuild's modules and Go version, whatever the chunk boundaries", async () => {
    const expected = {
      kind: 'go',
      goVersion: 'go1.26.5',
      records: [
        {name: 'github.com/evanw/esbuild', version: '(devel)'},
        {name: 'golang.org/x/sys', version: 'v0.0.0-20220715151400-c0bba94af5f8'},
        {name: 'stdlib', version: '1.26.5'},
      ],
    }
    expect(await readGoBuildInfo(createReadStream(ESBUILD_BINARY))).to.deep.equal(expected)
    expect(await readGoBuildInfo(await chunked(ESBUILD_BINARY, 4099))).to.deep.equal(expected)
  })

  it('reads the .go.buildinfo header of the registry binary (a Go build without modules: only stdlib)', async () => {
    const info = await readGoBuildInfo(createReadStream('/usr/bin/docker-registry'))
    expect(info?.kind).to.equal('go')
    expect(info?.kind === 'go' && info.records.map((record) => record.name)).to.deep.equal(['stdlib'])
    expect(info?.kind === 'go' && info.records[0].version).to.match(/^1\.\d+\.\d+$/)
  })

  it('ignores files that are not ELF, and ELF files without Go build info', async () => {
    expect(await readGoBuildInfo(Readable.from([Buffer.from('#!/bin/sh\necho go1.21.0\n')]))).to.equal(undefined)
    expect(await readGoBuildInfo(Readable.from([Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(4096)])]))).to.equal(
      undefined,
    )
  })

  it('reports a pre-1.18 header and a cut-short module info as unreadable, not as packages', async () => {
    const old = Buffer.alloc(64)
    Buffer.from('\xff Go buildinf:', 'latin1').copy(old, 16)
    old[30] = 8
    old[31] = 0
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(12), old.subarray(16)])
    expect(await readGoBuildInfo(Readable.from([elf]))).to.deep.equal({
      kind: 'unreadable',
      reason: 'a Go binary built before Go 1.18 (build info in the older pointer form, not read)',
    })
    const cut = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
      Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex'),
      Buffer.from('path\tx\nmod\tx\tv1.0.0\t\n'),
    ])
    expect(await readGoBuildInfo(Readable.from([cut]))).to.deep.equal({kind: 'unreadable', reason: 'Go module info without its end marker'})
  })

  it('matches Go modules and stdlib against OSV Go advisories in semver order', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'reglens-go-osv-'))
    try {
      const writer = new DatabaseWriter(directory)
      const advisory = (id: string, name: string, fixed: string) =>
        writer.add(
          parseOsvEntry({
            id,
            modified: '2024-01-01T00:00:00Z',
            summary: id,
            affected: [{package: {ecosystem: 'Go', name}, ranges: [{type: 'SEMVER', events: [{introduced: '0'}, {fixed}]}]}],
          })!,
        )
      advisory('GO-TEST-STDLIB', 'stdlib', '1.26.6')
      advisory('GO-TEST-SYS-OLD', 'golang.org/x/sys', '0.0.0-20220412211240-33da011f77ad')
      advisory('GO-TEST-SYS-NEW', 'golang.org/x/sys', '0.1.0')
      await writer.commit('test')
      const info = await readGoBuildInfo(createReadStream(ESBUILD_BINARY))
      const database = new Database(directory)
      const found = []
      for (const record of info?.kind === 'go' ? info.records : []) {
        const pkg = {
          type: 'golang' as const,
          name: record.name,
          version: record.version,
          layer: 'sha256:0' as const,
          path: 'usr/local/bin/esbuild',
        }
        for (const finding of await findingsFor(pkg, undefined, database))
          found.push(`${finding.id} ${finding.package} ${finding.installedVersion} ${finding.fixedVersion}`)
      }
      expect(found.sort()).to.deep.equal([
        'GO-TEST-STDLIB stdlib 1.26.5 1.26.6',
        'GO-TEST-SYS-NEW golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 0.1.0',
      ])
    } finally {
      await rm(directory, {recursive: true, force: true})
    }
  })

  it('applies versioned replacements and keeps the first word of the Go version', () => {
    expect(
      parseModInfo(
        'path\tx/cmd\nmod\tx\t(devel)\t\ndep\ta.io/b\tv1.0.0\th1:x\n=>\tc.io/b\tv1.1.0\th1:y\ndep\td.io/e\tv2.0.0\th1:z\n=>\t../local\t\n',
      ),
    ).to.deep.equal([
      {name: 'x', version: '(devel)'},
      {name: 'c.io/b', version: 'v1.1.0'},
      {name: 'd.io/e', version: 'v2.0.0'},
    ])
    expect(stdlibVersion('go1.22.0 X:boringcrypto')).to.equal('1.22.0')
  })
})
