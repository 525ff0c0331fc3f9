import {Readable} from 'node:stream'
import {gunzipSync, gzipSync} from 'node:zlib'

import {expect} from 'chai'
import {pack} from 'tar-stream'

import {tarLayer} from '../../../src/devtools/images.js'
import {classify} from '../../../src/scan/inventory/files.js'
import {foldLayers} from '../../../src/scan/inventory/fold.js'
import {decompressorFor, type LayerChanges, readLayerChanges} from '../../../src/scan/inventory/layer.js'
import {parseNodeModulesPackage, parsePackageLock, parsePythonMetadata} from '../../../src/scan/inventory/parsers/app-packages.js'
import {parseApkInstalled, parseDpkgStatus, parseOsRelease} from '../../../src/scan/inventory/parsers/os-packages.js'
import {parseRecordFile} from '../../../src/scan/inventory/records.js'

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as const
/** Layer changes from files given as text: record files parsed as the layer reader parses them, others dropped as it drops them. */
const changes = ({files = {}, ...partial}: Partial<Omit<LayerChanges, 'files'>> & {files?: Record<string, string>}): LayerChanges => ({
  files: Object.fromEntries(
    Object.entries(files).flatMap(([path, text]) => {
      const kind = classify(path)
      // rpm databases are binary: rpm-inventory.test.ts reads them from real layers.
      return kind && kind !== 'rpm-database' ? [[path, parseRecordFile(kind, Buffer.from(text))]] : []
    }),
  ),
  symlinks: {},
  whiteouts: [],
  opaque: [],
  limits: [],
  ...partial,
})
const summary = (inventory: ReturnType<typeof foldLayers>) =>
  inventory.packages.map((p) => `${p.type} ${p.name} ${p.version} L${p.layer.slice(7, 8)}`).sort()

describe('package record parsers', () => {
  it('reads installed dpkg packages with their source name and version, skipping removed ones', () => {
    const status = [
      'Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u4\nDescription: GNU C Library\n continued line\n',
      'Package: libfoo1\nStatus: install ok installed\nSource: foo (1.2-3)\nVersion: 1.2-3+b1\n',
      'Package: old\nStatus: deinstall ok config-files\nVersion: 1.0\n',
      'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n',
    ].join('\n')
    expect(parseDpkgStatus(status)).to.deep.equal([
      {name: 'libc6', version: '2.36-9+deb12u4', source: {name: 'glibc'}},
      {name: 'libfoo1', version: '1.2-3+b1', source: {name: 'foo', version: '1.2-3'}},
      {name: 'bash', version: '5.2.15-2+b2'},
    ])
  })

  it('reads apk packages with their origin, and os-release with quotes', () => {
    expect(parseApkInstalled('C:Q1abc=\nP:libssl3\nV:3.1.4-r1\no:openssl\n\nP:musl\nV:1.2.4-r2\n')).to.deep.equal([
      {name: 'libssl3', version: '3.1.4-r1', source: {name: 'openssl'}},
      {name: 'musl', version: '1.2.4-r2', source: {name: 'musl'}},
    ])
    expect(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n')).to.deep.equal({
      id: 'alpine',
      versionId: '3.19.1',
      prettyName: 'Alpine Linux v3.19',
    })
    expect(parseOsRelease('NAME=x\n')).to.equal(undefined)
  })

  it('reads npm lockfiles v1 and v3 (scoped and nested, no links or root) and node_modules package.json', () => {
    const v3 = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': {name: 'app', version: '1.0.0'},
        'node_modules/@babel/traverse': {version: '7.22.0'},
        'node_modules/a/node_modules/ms': {version: '2.0.0'},
        'node_modules/local': {link: true, resolved: '../x'},
      },
    })
    expect(parsePackageLock(v3)).to.deep.equal([
      {name: '@babel/traverse', version: '7.22.0'},
      {name: 'ms', version: '2.0.0'},
    ])
    const v1 = JSON.stringify({
      lockfileVersion: 1,
      dependencies: {debug: {version: '2.6.9', dependencies: {ms: {version: '2.0.0'}}}, mine: {version: 'file:../mine'}},
    })
    expect(parsePackageLock(v1)).to.deep.equal([
      {name: 'debug', version: '2.6.9'},
      {name: 'ms', version: '2.0.0'},
    ])
    expect(parsePackageLock('{not json')).to.deep.equal([])
    expect(parseNodeModulesPackage('{"name":"@s/x","version":"1.0.0"}')).to.deep.equal([{name: '@s/x', version: '1.0.0'}])
  })

  it('reads Python METADATA headers only, not the body', () => {
    expect(parsePythonMetadata('Metadata-Version: 2.1\nName: requests\nVersion: 2.19.0\n\nName: not-this\n')).to.deep.equal([
      {name: 'requests', version: '2.19.0'},
    ])
  })

  it('classifies only the record files it needs', () => {
    expect(classify('var/lib/dpkg/status')).to.equal('dpkg-status')
    expect(classify('var/lib/dpkg/status.d/base')).to.equal('dpkg-status')
    expect(classify('var/lib/dpkg/status.d/base.md5sums')).to.equal(undefined)
    expect(classify('app/node_modules/@babel/traverse/package.json')).to.equal('npm-package')
    expect(classify('app/node_modules/lodash/fp/package.json')).to.equal(undefined)
    expect(classify('app/package-lock.json')).to.equal('npm-lock')
    expect(classify('app/node_modules/.package-lock.json')).to.equal(undefined)
    expect(classify('usr/lib/python3/dist-packages/requests-2.19.0.dist-info/METADATA')).to.equal('python-metadata')
    expect(classify('usr/bin/bash')).to.equal(undefined)
  })
})

describe('layer folding', () => {
  it('hides packages removed by a whiteout or an opaque directory in a later layer, never in the same one', () => {
    const inventory = foldLayers([
      {
        digest: digest(1),
        changes: changes({
          files: {
            'var/lib/dpkg/status.d/gone': 'Package: gone\nVersion: 1.0\n',
            'app/node_modules/lodash/package.json': '{"name":"lodash","version":"4.17.20"}',
            'site/a-1.0.dist-info/METADATA': 'Name: a\nVersion: 1.0\n',
          },
        }),
      },
      {
        digest: digest(2),
        changes: changes({
          whiteouts: ['var/lib/dpkg/status.d/gone', 'site/a-1.0.dist-info'],
          opaque: ['app/node_modules'],
          files: {'app/node_modules/lodash/package.json': '{"name":"lodash","version":"4.17.21"}'},
        }),
      },
    ])
    expect(summary(inventory)).to.deep.equal(['npm lodash 4.17.21 L2'])
  })

  it('attributes each package to the first layer holding its final version', () => {
    const status1 =
      'Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: install ok installed\nVersion: 1\n\nPackage: c\nStatus: install ok installed\nVersion: 1\n'
    const status2 =
      'Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: install ok installed\nVersion: 2\n\nPackage: d\nStatus: install ok installed\nVersion: 1\n'
    const inventory = foldLayers([
      {digest: digest(1), changes: changes({files: {'var/lib/dpkg/status': status1}})},
      {digest: digest(2), changes: changes({files: {'var/lib/dpkg/status': status2}})},
      {digest: digest(3), changes: changes({files: {'etc/motd.d/x': 'irrelevant'}})},
    ])
    expect(summary(inventory)).to.deep.equal(['deb a 1 L1', 'deb b 2 L2', 'deb d 1 L2'])
  })

  it('counts a package deleted and installed again in a later layer as installed by that layer', () => {
    const inventory = foldLayers([
      {
        digest: digest(1),
        changes: changes({
          files: {
            'app/node_modules/minimist/package.json': '{"name":"minimist","version":"1.2.5"}',
            'var/lib/dpkg/status.d/a': 'Package: a\nVersion: 1\n',
          },
        }),
      },
      {digest: digest(2), changes: changes({opaque: ['app/node_modules'], whiteouts: ['var/lib/dpkg/status.d/a']})},
      {
        digest: digest(3),
        changes: changes({
          files: {
            'app/package-lock.json': JSON.stringify({packages: {'node_modules/minimist': {version: '1.2.5'}}}),
            'var/lib/dpkg/status': 'Package: a\nStatus: install ok installed\nVersion: 1\n',
          },
        }),
      },
    ])
    expect(summary(inventory)).to.deep.equal(['deb a 1 L3', 'npm minimist 1.2.5 L3'])
  })

  it('follows an os-release symlink and lists one npm package once when the lockfile and node_modules agree', () => {
    const inventory = foldLayers([
      {
        digest: digest(1),
        changes: changes({
          files: {'usr/lib/os-release': 'ID=debian\nVERSION_ID="12"\n'},
          symlinks: {'etc/os-release': '../usr/lib/os-release'},
        }),
      },
      {
        digest: digest(2),
        changes: changes({
          files: {
            'app/package-lock.json': JSON.stringify({packages: {'node_modules/ms': {version: '2.0.0'}}}),
            'app/node_modules/ms/package.json': '{"name":"ms","version":"2.0.0"}',
          },
        }),
      },
    ])
    expect(inventory.distro).to.deep.equal({id: 'debian', versionId: '12'})
    expect(summary(inventory)).to.deep.equal(['npm ms 2.0.0 L2'])
  })
})

describe('layer reading', () => {
  it('keeps record files, whiteouts and opaque markers from a gzip tar and nothing else', async () => {
    const bytes = await tarLayer({
      './etc/os-release': 'ID=alpine\n',
      'lib/apk/db/installed': 'P:musl\nV:1\n',
      'usr/bin/tool': Buffer.alloc(100_000, 1),
      'app/node_modules/.wh..wh..opq': '',
      'var/lib/dpkg/status.d/.wh.gone': '',
    })
    const read = await readLayerChanges(Readable.from([bytes]), 'application/vnd.oci.image.layer.v1.tar+gzip', digest(1))
    expect(read).to.deep.equal({
      files: {
        'etc/os-release': {kind: 'os-release', distro: {id: 'alpine'}},
        'lib/apk/db/installed': {kind: 'packages', type: 'apk', records: [{name: 'musl', version: '1', source: {name: 'musl'}}]},
      },
      symlinks: {},
      whiteouts: ['var/lib/dpkg/status.d/gone'],
      opaque: ['app/node_modules'],
      limits: [],
    })
  })

  it('reads uncompressed tar layers and records symlinked os-release', async () => {
    const archive = pack()
    archive.entry({name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release'})
    archive.finalize()
    const chunks: Buffer[] = []
    for await (const chunk of archive) chunks.push(chunk as Buffer)
    const read = await readLayerChanges(Readable.from([Buffer.concat(chunks)]), 'application/vnd.oci.image.layer.v1.tar', digest(1))
    expect(read.symlinks).to.deep.equal({'etc/os-release': '../usr/lib/os-release'})
  })

  it('reads an empty layer (no bytes, or only the end-of-archive zero blocks) as empty, not as damage', async () => {
    const empty = {files: {}, symlinks: {}, whiteouts: [], opaque: [], limits: []}
    for (const [bytes, mediaType] of [
      [Buffer.alloc(0), 'application/vnd.oci.image.layer.v1.tar'],
      [gzipSync(Buffer.alloc(1024)), 'application/vnd.oci.image.layer.v1.tar+gzip'],
    ] as const)
      expect(await readLayerChanges(Readable.from([bytes]), mediaType, digest(1))).to.deep.equal(empty)
  })

  it('reads record files whatever the chunking, under a long (pax) path, and the later of two copies of a path', async () => {
    const deep = `srv/${'a'.repeat(120)}/node_modules/left-pad/package.json`
    const archive = pack()
    archive.entry({name: 'usr/bin/tool', mode: 0o644}, Buffer.alloc(70_001, 1))
    archive.entry({name: deep}, '{"name":"left-pad","version":"1.3.0"}')
    archive.entry({name: 'etc/os-release'}, 'ID=debian\n')
    archive.entry({name: 'etc/os-release'}, 'ID=alpine\n')
    archive.finalize()
    const chunks: Buffer[] = []
    for await (const chunk of archive) chunks.push(chunk as Buffer)
    const tar = Buffer.concat(chunks)
    // Chunks ending anywhere (as gunzip's do), down to a byte: the parser still sees whole blocks.
    const pieces: Buffer[] = []
    for (let at = 0, size = 1; at < tar.length; at += size, size = (size * 7 + 3) % 1500) pieces.push(tar.subarray(at, at + size))
    const read = await readLayerChanges(Readable.from(pieces), 'application/vnd.oci.image.layer.v1.tar', digest(1))
    expect(read.files).to.deep.equal({
      [deep]: {kind: 'packages', type: 'npm', records: [{name: 'left-pad', version: '1.3.0'}]},
      'etc/os-release': {kind: 'os-release', distro: {id: 'alpine'}},
    })
  })

  it('fails with one line on a damaged header after good entries, and on a tar compressed twice', async () => {
    const good = await tarLayer({'etc/os-release': 'ID=alpine\n', 'usr/share/doc.txt': 'x'.repeat(600)})
    const tar = Buffer.from(gunzipSync(good))
    tar[1024 + 148] ^= 0x01 // the second header's checksum
    const failure = async (bytes: Buffer, mediaType: string) => {
      try {
        await readLayerChanges(Readable.from([bytes]), mediaType, digest(1))
      } catch (error) {
        return (error as Error).message
      }
      return 'no error'
    }
    expect(await failure(gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip')).to.match(
      /^layer sha256:1+ is not a readable compressed tar: .*checksum/,
    )
    expect(await failure(gzipSync(good), 'application/vnd.oci.image.layer.v1.tar+gzip')).to.equal(
      `layer ${digest(1)} is not a readable compressed tar: its tar is compressed a second time`,
    )
  })

  it('fails with one line on a corrupt layer, and on zstd where this Node has no zstd', async () => {
    const bad = readLayerChanges(
      Readable.from([gzipSync(Buffer.from('not a tar at all'.repeat(100))).subarray(0, 40)]),
      'application/vnd.oci.image.layer.v1.tar+gzip',
      digest(1),
    )
    let message = ''
    try {
      await bad
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).to.match(/^layer sha256:1+ is not a readable compressed tar/)
    const zstd = (await import('node:zlib')) as unknown as {createZstdDecompress?: unknown}
    if (zstd.createZstdDecompress) expect(decompressorFor('application/vnd.oci.image.layer.v1.tar+zstd', 'd')).to.not.equal(undefined)
    else
      expect(() => decompressorFor('application/vnd.oci.image.layer.v1.tar+zstd', 'd')).to.throw(
        /zstd-compressed and this Node .* has no zstd support/,
      )
  })
})
