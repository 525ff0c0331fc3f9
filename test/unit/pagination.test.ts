import {expect} from 'chai'

import {ExitCode, RegistryError} from '../../src/errors.js'
import {sameOriginUrl} from '../../src/registry/origin.js'
import {checkPageSize, nextPageLink, parseLinkHeader} from '../../src/registry/pagination.js'

describe('RFC 5988 Link headers', () => {
  it('parses the registry form with a relative URL', () => {
    expect(parseLinkHeader('</v2/_catalog?last=b&n=2>; rel="next"')).to.deep.equal([{url: '/v2/_catalog?last=b&n=2', rel: 'next'}])
  })

  it('parses several links, unquoted rel values and extra parameters', () => {
    const links = parseLinkHeader('<https://r.io/v2/a/tags/list?n=2&last=x>; rel=next, </prev>; title="a, b"; rel="prev"')
    expect(links).to.deep.equal([
      {url: 'https://r.io/v2/a/tags/list?n=2&last=x', rel: 'next'},
      {url: '/prev', rel: 'prev'},
    ])
  })

  it('returns nothing for a missing or empty header', () => {
    expect(parseLinkHeader(undefined)).to.deep.equal([])
    expect(parseLinkHeader('')).to.deep.equal([])
  })

  it('picks the rel="next" link only', () => {
    expect(nextPageLink('</p>; rel="prev", </n>; rel="next"')).to.equal('/n')
    expect(nextPageLink('</p>; rel="prev"')).to.equal(undefined)
  })
})

describe('URLs a registry hands back stay on its origin', () => {
  const registry = 'http://127.0.0.1:5000'
  const refused = (url: string, base: string, registryUrl = registry) => {
    try {
      sameOriginUrl(url, base, registryUrl, 'next-page link')
    } catch (error) {
      expect(error).to.be.instanceOf(RegistryError)
      expect((error as RegistryError).exitCode).to.equal(ExitCode.badResponse)
      return (error as RegistryError).message
    }
    throw new Error(`${url} was accepted`)
  }

  it('resolves a relative link against the page that carried it, and keeps a same-origin absolute one', () => {
    expect(sameOriginUrl('/v2/_catalog?last=b&n=2', `${registry}/v2/_catalog?n=2`, registry, 'link')).to.equal(
      `${registry}/v2/_catalog?last=b&n=2`,
    )
    expect(sameOriginUrl('https://r.io:443/v2/x/tags/list?last=q', 'https://r.io/v2/x/tags/list', 'https://r.io', 'link')).to.equal(
      'https://r.io/v2/x/tags/list?last=q',
    )
  })

  it('refuses another host, another port, another scheme, and protocol-relative links', () => {
    expect(refused('http://127.0.0.2:5000/v2/_catalog', `${registry}/v2/_catalog`)).to.contain('another origin (http://127.0.0.2:5000)')
    expect(refused('http://127.0.0.1:5001/v2/_catalog', `${registry}/v2/_catalog`)).to.contain('another origin')
    expect(refused('http://r.io/v2/x/tags/list', 'https://r.io/v2/x/tags/list', 'https://r.io')).to.contain('another origin (http://r.io)')
    expect(refused('//evil.example/v2/_catalog', `${registry}/v2/_catalog`)).to.contain('evil.example')
  })

  it('names an unparsable link as invalid', () => {
    expect(refused('http://[bad', `${registry}/v2/_catalog`)).to.contain('invalid next-page link')
  })
})

describe('page size', () => {
  it('accepts 1..1000 and refuses the rest as a usage error', () => {
    expect(checkPageSize(1000)).to.equal(1000)
    for (const bad of [0, 1001, 1.5]) expect(() => checkPageSize(bad)).to.throw('page size must be a whole number from 1 to 1000')
  })
})
