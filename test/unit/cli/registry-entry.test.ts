import {resolve} from 'node:path'

import {expect} from 'chai'

import {registryEntry} from '../../../src/cli/registry-entry.js'

describe('registry add flags → config entry', () => {
  it('keeps a URL as given (without a trailing slash) and a bare host as its endpoint URL', () => {
    expect(registryEntry('lab', 'http://lab:5000/', {insecure: false}).entry).to.deep.equal({url: 'http://lab:5000'})
    const bare = registryEntry('hub', 'registry.example.com', {insecure: true, username: 'me', 'password-env': 'HUB_TOKEN'})
    expect(bare.entry).to.deep.equal({url: bare.endpoint.url, username: 'me', password_env: 'HUB_TOKEN', insecure: true})
    expect(bare.endpoint.url).to.match(/^https:\/\/registry\.example\.com/)
  })

  it('stores files as absolute paths and refuses one that does not exist', () => {
    const file = 'package.json'
    expect(registryEntry('lab', 'lab:5000', {insecure: false, 'ca-cert': file}).entry.ca_cert).to.equal(resolve(file))
    expect(() => registryEntry('lab', 'lab:5000', {insecure: false, 'ca-cert': 'no/such.pem'})).to.throw(
      `--ca-cert: ${resolve('no/such.pem')} does not exist`,
    )
  })

  it('refuses names that read as hosts and a password source without a user name', () => {
    expect(() => registryEntry('lab.local', 'lab:5000', {insecure: false})).to.throw(/invalid registry name "lab.local"/)
    expect(() => registryEntry('localhost', 'lab:5000', {insecure: false})).to.throw(/invalid registry name/)
    expect(() => registryEntry('lab', 'lab:5000', {insecure: false, 'password-env': 'X'})).to.throw(
      '--password-env/--password-file need --username',
    )
    expect(() => registryEntry('lab', 'lab:5000', {insecure: false, username: 'me', 'password-env': '1X'})).to.throw(
      /is not an environment variable name/,
    )
  })
})
