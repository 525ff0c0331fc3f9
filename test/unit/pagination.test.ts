import {expect} from 'chai'

import {nextPageUrl, parseLinkHeader} from '../../src/registry/pagination.js'

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

  it('resolves a relative next link against the current page, and keeps an absolute one', () => {
    expect(nextPageUrl('</v2/_catalog?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/_catalog?n=2')).to.equal('http://127.0.0.1:5000/v2/_catalog?last=b&n=2')
    expect(nextPageUrl('<https://cdn.example/v2/x/tags/list?last=q>; rel="next"', 'https://r.io/v2/x/tags/list')).to.equal('https://cdn.example/v2/x/tags/list?last=q')
    expect(nextPageUrl('</p>; rel="prev"', 'https://r.io/v2/')).to.equal(undefined)
  })
})
