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

  it('reads a pre-1.18 binary (pointer-form header) through the version and module info it points to', async () => {
    // A hand-built ELF laid out as Go 1.13-1.17 link one: read-only data holding the runtime's version
    // string and the sentinel-wrapped module info, then, 16-byte aligned in the data that follows, the
    // .go.buildinfo header: magic, pointer size 8, flags 0 (little-endian pointers, no inline strings),
    // and two pointers to the version and module info string headers.
    const modInfo = 'path\texample.com/tool\nmod\texample.com/tool\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:x=\n'
    const rodata = Buffer.concat([
      Buffer.from('\0\0go1.16.15\0\0', 'latin1'),
      Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex'),
      Buffer.from(modInfo),
      Buffer.from('f932433186182072008242104116d8f2', 'hex'),
    ])
    const header = Buffer.alloc(32)
    Buffer.from('\xff Go buildinf:', 'latin1').copy(header)
    header[14] = 8
    header[15] = 0
    header.writeBigUInt64LE(0x4c1000n, 16)
    header.writeBigUInt64LE(0x4c1010n, 24)
    const elf = (parts: Buffer[]) => {
      const head = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60), ...parts])
      return Buffer.concat([head, Buffer.alloc((16 - (head.length % 16)) % 16), header, Buffer.alloc(64)])
    }
    const expected = {
      kind: 'go',
      goVersion: 'go1.16.15',
      records: [
        {name: 'example.com/tool', version: '(devel)'},
        {name: 'golang.org/x/text', version: 'v0.3.7'},
        {name: 'stdlib', version: '1.16.15'},
      ],
    }
    const whole = elf([rodata])
    expect(await readGoBuildInfo(Readable.from([whole]))).to.deep.equal(expected)
    const pieces = Array.from({length: Math.ceil(whole.length / 7)}, (_, index) => whole.subarray(index * 7, index * 7 + 7))
    expect(await readGoBuildInfo(Readable.from(pieces))).to.deep.equal(expected)
    // Built in GOPATH mode (no module info): the Go version alone, as stdlib.
    expect(await readGoBuildInfo(Readable.from([elf([rodata.subarray(0, 13)])]))).to.deep.equal({
      kind: 'go',
      goVersion: 'go1.16.15',
      records: [{name: 'stdlib', version: '1.16.15'}],
    })
    // Neither found: not checked, never silently nothing.
    expect(await readGoBuildInfo(Readable.from([elf([])]))).to.deep.equal({
      kind: 'unreadable',
      reason: 'a Go binary built before Go 1.18 whose Go version was not found',
    })
  })

  it('reports a cut-short module info as unreadable, not as packages', async () => {
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
