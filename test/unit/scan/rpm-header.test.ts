import {readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {expect} from 'chai'
import fc from 'fast-check'

import {readRpmDatabase} from '../../../src/scan/rpm/database.js'
import {MalformedRpmHeader, parseRpmHeader, parseSourceRpm, type RpmPackage} from '../../../src/scan/rpm/header.js'
import {readSqliteBlobs} from '../../../src/scan/rpm/sqlite.js'
import {buildRpmDatabase, rpmQueryAll} from '../../helpers/rpm.js'

const asRpmPrints = (pkg: RpmPackage): string =>
  `${pkg.name} ${pkg.epoch === undefined ? '' : `${pkg.epoch}:`}${pkg.version}-${pkg.release} ${pkg.arch ?? '(none)'} ${pkg.sourceRpm ?? '(none)'}`

/** A parse either succeeds or fails with a MalformedRpmHeader: nothing else may escape. */
function parseOrMalformed(blob: Uint8Array): RpmPackage | MalformedRpmHeader {
  try {
    return parseRpmHeader(blob)
  } catch (error) {
    if (error instanceof MalformedRpmHeader) return error
    throw error
  }
}

describe('rpm header blobs and sqlite databases', () => {
  let root: string
  let database: Buffer
  let blobs: Uint8Array[]

  before(async () => {
    root = buildRpmDatabase([
      {name: 'alpha', version: '1.0', release: '1.el9'},
      {name: 'beta', epoch: 2, version: '0.9', release: '3~rc1.el9', arch: 'x86_64'},
      {name: 'gamma', epoch: 0, version: '2.0^git5', release: '1'},
    ])
    database = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'))
    blobs = (await readSqliteBlobs(database)).blobs
  })

  after(() => rmSync(dirname(root), {recursive: true, force: true}))

  it('reads every package of a database rpm wrote, with what rpm itself prints', async () => {
    const read = await readRpmDatabase('sqlite', database)
    expect(read.skipped).to.equal(0)
    expect(read.error).to.equal(undefined)
    expect(read.packages.map(asRpmPrints).sort()).to.deep.equal(rpmQueryAll(root))
    expect(read.packages.find((pkg) => pkg.name === 'gamma')?.epoch, 'an explicit epoch 0 is kept').to.equal(0)
    expect(read.packages.find((pkg) => pkg.name === 'alpha')).to.not.have.property('epoch')
  })

  it('fails every truncation of a real header with a one-line MalformedRpmHeader', () => {
    const blob = blobs[0]
    for (let length = 0; length < blob.length; length++) {
      const result = parseOrMalformed(blob.subarray(0, length))
      expect(result, `${length} bytes`).to.be.instanceOf(MalformedRpmHeader)
      expect((result as Error).message).to.not.include('\n')
    }
  })

  it('refuses index and data counts beyond the blob or rpm limits before allocating anything', () => {
    const huge = Buffer.from(blobs[0])
    huge.writeUInt32BE(0xffffffff, 0)
    expect(() => parseRpmHeader(huge)).to.throw(MalformedRpmHeader, /index entries/)
    const bigData = Buffer.from(blobs[0])
    bigData.writeUInt32BE(0x7fffffff, 4)
    expect(() => parseRpmHeader(bigData)).to.throw(MalformedRpmHeader, /bytes of data/)
    const outside = Buffer.from(blobs[0])
    // Point every index entry's offset past the data store.
    for (let entry = 0; entry < outside.readUInt32BE(0); entry++) outside.writeInt32BE(0x7ffffff0, 8 + entry * 16 + 8)
    expect(() => parseRpmHeader(outside)).to.throw(MalformedRpmHeader, /outside/)
  })

  it('never throws anything but MalformedRpmHeader on randomly corrupted headers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 8}), (flips) => {
        const blob = Buffer.from(blobs[1])
        for (const [position, value] of flips) blob[position % blob.length] = value
        parseOrMalformed(blob)
      }),
      {numRuns: 2000, seed: 16},
    )
  })

  it('counts unreadable headers of a database as skipped and keeps the rest', async () => {
    const SQL = await (await import('sql.js')).default()
    const copy = new SQL.Database(database)
    copy.run('UPDATE Packages SET blob = ? WHERE hnum = (SELECT min(hnum) FROM Packages)', [new Uint8Array([0, 0, 0, 9, 0, 0, 0, 1])])
    const read = await readRpmDatabase('sqlite', copy.export())
    copy.close()
    expect(read.skipped).to.equal(1)
    expect(read.packages).to.have.length(2)
  })

  it('turns a file that is not a sqlite database, or one over the size limit, into a one-line error', async () => {
    const garbage = await readRpmDatabase('sqlite', Buffer.from('SQLite format 3\0'.padEnd(4096, 'x')))
    expect(garbage.error).to.match(/^not a readable rpm sqlite database: /)
    expect(garbage.error).to.not.include('\n')
    const tooBig = await readRpmDatabase('sqlite', {length: 200 * 1024 * 1024} as Uint8Array)
    expect(tooBig.error).to.match(/larger than the \d+-byte limit/)
  })

  it('splits a source rpm file name into source package name and version-release', () => {
    expect(parseSourceRpm('glibc-langpack-2.34-60.el9.src.rpm')).to.deep.equal({name: 'glibc-langpack', version: '2.34-60.el9'})
    expect(parseSourceRpm('not-a-source')).to.equal(undefined)
  })
})
