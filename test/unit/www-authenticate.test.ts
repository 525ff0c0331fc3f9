import {expect} from 'chai'

import {parseWwwAuthenticate} from '../../src/registry/auth/www-authenticate.js'

describe('WWW-Authenticate parsing', () => {
  it('reads a registry Bearer challenge with quoted values containing commas and colons', () => {
    const header =
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull,push",error="insufficient_scope"'
    expect(parseWwwAuthenticate(header)).to.deep.equal([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:team/app:pull,push',
          error: 'insufficient_scope',
        },
      },
    ])
  })

  it('reads unquoted values and spaces around separators, and lower-cases scheme and names', () => {
    expect(parseWwwAuthenticate('BASIC Realm = basic-realm ,  charset="UTF-8"')).to.deep.equal([
      {scheme: 'basic', params: {realm: 'basic-realm', charset: 'UTF-8'}},
    ])
  })

  it('splits several challenges in one header (undici joins repeated headers with a comma)', () => {
    const parsed = parseWwwAuthenticate('Basic realm="a, b", Bearer realm="https://t/token",service=reg')
    expect(parsed.map((c) => c.scheme)).to.deep.equal(['basic', 'bearer'])
    expect(parsed[0].params.realm).to.equal('a, b')
    expect(parsed[1].params).to.deep.equal({realm: 'https://t/token', service: 'reg'})
  })

  it('unescapes backslash-escaped quotes inside quoted values', () => {
    expect(parseWwwAuthenticate('Bearer realm="say \\"hi\\"",service="s"')[0].params).to.deep.equal({realm: 'say "hi"', service: 's'})
  })

  it('answers no challenge for an absent or empty header, and survives an unterminated quote', () => {
    expect(parseWwwAuthenticate(undefined)).to.deep.equal([])
    expect(parseWwwAuthenticate('  ')).to.deep.equal([])
    expect(parseWwwAuthenticate('Bearer realm="https://t')).to.deep.equal([{scheme: 'bearer', params: {realm: 'https://t'}}])
  })
})
