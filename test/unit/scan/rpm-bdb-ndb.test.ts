import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {expect} from 'chai'
import fc from 'fast-check'

import {readRpmDatabase, rpmDatabaseKind} from '../../../src/scan/rpm/database.js'
import type {RpmPackage} from '../../../src/scan/rpm/header.js'
import {readSqliteBlobs} from '../../../src/scan/rpm/sqlite.js'
import {buildNdbPackages, buildRpmDatabase, rpmQueryAll, rpmQueryAllBdb, writeBdbPackages} from '../../helpers/rpm.js'

const asRpmPrints = (pkg: RpmPackage): string =>
  `${pkg.name} ${pkg.epoch === undefined ? '' : `${pkg.epoch}:`}${pkg.version}-${pkg.release} ${pkg.arch ?? '(none)'} ${pkg.sourceRpm ?? '(none)'}`

describe('rpm Berkeley DB (Packages) and ndb (Packages.db) databases', () => {
  let root: string
  let blobs: Uint8Array[]
  let expected: string[]

  before(async () => {
    root = buildRpmDatabase([
      {name: 'alpha', version: '1.0', release: '1.el8'},
      {name: 'beta', epoch: 1, version: '2.0', release: '0.1~beta.el8', arch: 'x86_64'},
      {name: 'gamma', version: '3.0', release: '5'},
      {name: 'delta', epoch: 4, version: '0.0.1', release: '1^20240101'},
    ])
    expected = rpmQueryAll(root)
    blobs = (await readSqliteBlobs(readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite')))).blobs
  })

  after(() => rmSync(dirname(root), {recursive: true, force: true}))

  for (const [pageSize, bigEndian] of [
    [4096, false],
    [512, false],
    [16384, false],
    [4096, true],
  ] as const) {
    it(`reads a Berkeley DB hash written by db_load (${pageSize}-byte pages, ${bigEndian ? 'big' : 'little'}-endian) as rpm's bdb_ro does`, async () => {
      const bdbRoot = join(dirname(root), `bdb-${pageSize}-${bigEndian}`)
      mkdirSync(join(bdbRoot, 'var/lib/rpm'), {recursive: true})
      const file = join(bdbRoot, 'var/lib/rpm/Packages')
      writeBdbPackages(file, blobs, {pageSize, bigEndian})
      if (!bigEndian) expect(rpmQueryAllBdb(bdbRoot), 'rpm reads the same file').to.deep.equal(expected)
      const read = await readRpmDatabase('bdb', readFileSync(file))
      expect(read.error).to.equal(undefined)
      expect(read.skipped).to.equal(0)
      expect(read.packages.map(asRpmPrints).sort()).to.deep.equal(expected)
    })
  }

  it('never throws on a corrupted Berkeley DB file, and reports a bad header page in one line', async () => {
    const file = join(dirname(root), 'corrupt-Packages')
    writeBdbPackages(file, blobs, {pageSize: 512})
    const pristine = readFileSync(file)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 16}), async (flips) => {
        const bytes = Buffer.from(pristine)
        for (const [position, value] of flips) bytes[512 + (position % (bytes.length - 512))] = value
        const read = await readRpmDatabase('bdb', bytes)
        expect(read.packages.length + read.skipped).to.be.at.most(blobs.length * 2)
      }),
      {numRuns: 300, seed: 16},
    )
    const badMagic = Buffer.from(pristine)
    badMagic.writeUInt32LE(0, 12)
    expect((await readRpmDatabase('bdb', badMagic)).error).to.equal('not a Berkeley DB hash file (bad magic number)')
    const badPageSize = Buffer.from(pristine)
    badPageSize.writeUInt32LE(1000, 20)
    expect((await readRpmDatabase('bdb', badPageSize)).error).to.match(/page size 1000/)
  })

  it('counts a broken overflow chain as a skipped record', async () => {
    const file = join(dirname(root), 'chain-Packages')
    writeBdbPackages(file, blobs, {pageSize: 512})
    const bytes = readFileSync(file)
    // Make the first overflow page point at itself: the chain loops before the record is complete.
    for (let page = 1; page * 512 < bytes.length; page++) {
      if (bytes[page * 512 + 25] === 7) {
        bytes.writeUInt32LE(page, page * 512 + 16)
        break
      }
    }
    const read = await readRpmDatabase('bdb', bytes)
    expect(read.skipped).to.equal(1)
    expect(read.packages).to.have.length(blobs.length - 1)
  })

  it('reads a hand-built ndb Packages.db, free slots included (tested only against hand-built files)', async () => {
    const read = await readRpmDatabase('ndb', buildNdbPackages(blobs, {freeSlotFirst: true}))
    expect(read.error).to.equal(undefined)
    expect(read.skipped).to.equal(0)
    expect(read.packages.map(asRpmPrints).sort()).to.deep.equal(expected)
  })

  it('skips ndb slots whose blob is out of bounds or names another package, and rejects a bad file header', async () => {
    const bytes = buildNdbPackages(blobs)
    bytes.writeUInt32LE(0xfffffff, 32 + 8) // first slot: blob offset past the end
    bytes.writeUInt32LE(99, 32 + 16 + 4) // second slot: package index its blob does not carry
    const read = await readRpmDatabase('ndb', bytes)
    expect(read.skipped).to.equal(2)
    expect(read.packages).to.have.length(blobs.length - 2)
    const header = buildNdbPackages(blobs)
    header.writeUInt32LE(1000, 12)
    expect((await readRpmDatabase('ndb', header)).error).to.match(/claims 1000 slot pages/)
    expect((await readRpmDatabase('ndb', Buffer.from('nope'))).error).to.match(/bad magic/)
  })

  it('recognises the database files at both rpm locations', () => {
    expect(rpmDatabaseKind('var/lib/rpm/rpmdb.sqlite')).to.equal('sqlite')
    expect(rpmDatabaseKind('usr/lib/sysimage/rpm/rpmdb.sqlite')).to.equal('sqlite')
    expect(rpmDatabaseKind('var/lib/rpm/Packages')).to.equal('bdb')
    expect(rpmDatabaseKind('usr/lib/sysimage/rpm/Packages.db')).to.equal('ndb')
    expect(rpmDatabaseKind('var/lib/rpm/Name')).to.equal(undefined)
    expect(rpmDatabaseKind('home/var/lib/rpm/Packages')).to.equal(undefined)
  })
})
