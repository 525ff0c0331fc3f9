import {expect} from 'chai'
import {Chalk} from 'chalk'

import {renderInventory} from '../../../src/output/scan.js'
import type {Inventory} from '../../../src/scan/inventory/types.js'

const plain = new Chalk({level: 0})
const layer = `sha256:${'a'.repeat(64)}` as const

describe("image sbom's table", () => {
  it('an image with no packages says so, with no empty table under it', () => {
    const empty: Inventory = {distro: {id: 'demo', versionId: '1'}, packages: [], unchecked: []}
    expect(renderInventory(empty, plain)).to.equal('demo (demo 1): no packages found')
    const unread: Inventory = {packages: [], unchecked: [{path: 'var/lib/dpkg/status', layer, reason: 'larger than 64 MiB'}]}
    expect(renderInventory(unread, plain)).to.match(
      /^unknown OS: no packages found\n\nNot checked \(1\):\n {2}layer aaaaaaaaaaaa: var\/lib\/dpkg\/status/,
    )
  })

  it('one package is "1 package", then the table', () => {
    const one: Inventory = {
      packages: [{type: 'apk', name: 'musl', version: '1.2.4-r2', layer, path: 'lib/apk/db/installed'}],
      unchecked: [],
    }
    expect(renderInventory(one, plain).split('\n')).to.deep.equal([
      'unknown OS: 1 package',
      '',
      'TYPE  NAME  VERSION   SOURCE  LAYER         PATH',
      'apk   musl  1.2.4-r2          aaaaaaaaaaaa  lib/apk/db/installed',
    ])
  })
})
