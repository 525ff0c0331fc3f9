import {expect} from 'chai'
import {Chalk} from 'chalk'

import type {Config} from '../../src/config/config.js'
import {listRegistries} from '../../src/config/registry-list.js'
import {renderRegistries} from '../../src/output/registries.js'

const config: Config = {
  path: '/home/me/.config/reglens/config.yaml',
  default: 'prod',
  registries: {
    prod: {url: 'https://prod.example', username: 'ci', password_env: 'PROD_TOKEN', ca_cert: '/ca.pem'},
    lab: {url: 'http://lab:5000', password: 'secret', insecure: true},
  },
}
const options = {json: false, quiet: false, chalk: new Chalk({level: 0})}

describe('registry list', () => {
  it('lists where each password comes from, never the password', () => {
    const rows = listRegistries(config)
    expect(rows.map((row) => [row.name, row.default, row.password])).to.deep.equal([
      ['prod', true, {from: 'env', name: 'PROD_TOKEN'}],
      ['lab', false, {from: 'plain'}],
    ])
    expect(JSON.stringify(rows)).not.to.contain('secret')
  })

  it('a table with the default starred and the TLS setting, and the count line for stderr', () => {
    const output = renderRegistries(listRegistries(config), config, options)
    expect(output.stdout?.split('\n').map((line) => line.split(/\s{2,}/))).to.deep.equal([
      ['NAME', 'URL', 'USERNAME', 'PASSWORD', 'TLS'],
      ['prod *', 'https://prod.example', 'ci', 'env:PROD_TOKEN', 'ca'],
      // No user name: an empty cell, so the split sees one wider gap.
      ['lab', 'http://lab:5000', 'plain', 'insecure'],
      [''],
    ])
    expect(output.stderr).to.equal('2 registries in /home/me/.config/reglens/config.yaml; * = default\n')
  })

  it('no config file: no table, the count says so; --json: the document only', () => {
    expect(renderRegistries([], {}, options)).to.deep.equal({stderr: '0 registries (no config file)\n'})
    const json = renderRegistries([], {}, {...options, json: true})
    expect(json.stderr).to.equal(undefined)
    expect(JSON.parse(json.stdout!)).to.deep.equal({config: null, default: null, registries: []})
  })
})
