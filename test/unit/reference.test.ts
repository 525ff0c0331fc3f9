import {expect} from 'chai'

import {UsageError} from '../../src/errors.js'
import {apiHost, endpointFromUrl, isLoopbackHost} from '../../src/registry/endpoint.js'
import {formatReference, manifestReference, parseReference, parseRepository, repositoryIn} from '../../src/registry/reference.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

describe('image references (Docker rules)', () => {
  it('expands a bare name to docker.io/library', () => {
    expect(parseReference('nginx')).to.deep.equal({registry: 'docker.io', repository: 'library/nginx'})
    expect(parseReference('nginx:1.27')).to.deep.equal({registry: 'docker.io', repository: 'library/nginx', tag: '1.27'})
  })

  it('keeps a Docker Hub namespace and normalizes index.docker.io', () => {
    expect(parseReference('bitnami/redis').repository).to.equal('bitnami/redis')
    expect(parseReference('index.docker.io/nginx')).to.deep.equal({registry: 'docker.io', repository: 'library/nginx'})
  })

  it('treats a first component with a dot, a port or localhost as the registry', () => {
    expect(parseReference('ghcr.io/org/app:v1')).to.deep.equal({registry: 'ghcr.io', repository: 'org/app', tag: 'v1'})
    expect(parseReference('localhost:5000/team/app/api')).to.deep.equal({registry: 'localhost:5000', repository: 'team/app/api'})
    expect(parseReference('localhost/app').registry).to.equal('localhost')
    expect(parseReference('127.0.0.1:5000/a/b:c').tag).to.equal('c')
    expect(parseReference('[::1]:5000/app').registry).to.equal('[::1]:5000')
  })

  it('parses a digest, with or without a tag', () => {
    expect(parseReference(`ghcr.io/org/app@${DIGEST}`)).to.deep.equal({registry: 'ghcr.io', repository: 'org/app', digest: DIGEST})
    const both = parseReference(`ghcr.io/org/app:v1@${DIGEST}`)
    expect(both.tag).to.equal('v1')
    expect(manifestReference(both)).to.equal(DIGEST)
    expect(formatReference(both)).to.equal(`ghcr.io/org/app:v1@${DIGEST}`)
  })

  it('uses the default registry for a host-less name, without the library/ prefix', () => {
    expect(parseReference('app', {defaultRegistry: 'localhost:5000'})).to.deep.equal({registry: 'localhost:5000', repository: 'app'})
    expect(parseReference('ghcr.io/x/y', {defaultRegistry: 'localhost:5000'}).registry).to.equal('ghcr.io')
  })

  it('defaults the manifest reference to latest', () => {
    expect(manifestReference(parseReference('nginx'))).to.equal('latest')
  })

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['Nginx', /must be lowercase/],
    ['localhost:5000/Team/app', /must be lowercase/],
    ['a//b', /empty path component/],
    ['a/b-', /separator at an end/],
    ['app:', /tag ""/],
    ['app:-bad', /tag "-bad"/],
    [`app:${'x'.repeat(129)}`, /tag/],
    ['app@sha256:abc', /sha256 needs 64/],
    [`app@md5:${'a'.repeat(32)}`, /unsupported algorithm/],
    ['app@notadigest', /invalid digest/],
    ['-bad.host:5000/app', /not a valid registry host/],
    [`host.io/${'a'.repeat(256)}`, /longer than 255/],
  ]
  for (const [input, reason] of invalid) {
    it(`rejects ${JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input)} with a one-line reason`, () => {
      expect(() => parseReference(input)).to.throw(UsageError, reason)
      try {
        parseReference(input)
      } catch (error) {
        expect((error as Error).message).to.not.include('\n')
      }
    })
  }

  it('rejects a tag or digest where only a repository is wanted', () => {
    expect(() => parseRepository('localhost:5000/app:v1')).to.throw(UsageError, /takes no tag or digest/)
  })
})

describe('registry endpoints', () => {
  it('uses http for loopback hosts and https elsewhere', () => {
    expect(endpointFromUrl('localhost:5000').url).to.equal('http://localhost:5000')
    expect(endpointFromUrl('127.0.0.1:5000').url).to.equal('http://127.0.0.1:5000')
    expect(endpointFromUrl('[::1]:5000').url).to.equal('http://[::1]:5000')
    expect(endpointFromUrl('registry.example.com').url).to.equal('https://registry.example.com')
    expect(endpointFromUrl('https://localhost:5443').url).to.equal('https://localhost:5443')
  })

  it('maps Docker Hub to its API host', () => {
    expect(endpointFromUrl('docker.io')).to.include({host: 'docker.io', url: 'https://registry-1.docker.io'})
    expect(endpointFromUrl('https://registry-1.docker.io/').host).to.equal('docker.io')
    expect(apiHost('ghcr.io')).to.equal('ghcr.io')
  })

  it('recognizes loopback hosts only', () => {
    expect(isLoopbackHost('127.1.2.3:80')).to.equal(true)
    expect(isLoopbackHost('10.0.0.1:5000')).to.equal(false)
    expect(isLoopbackHost('localhost.example.com')).to.equal(false)
  })

  it('rejects URLs with paths or other schemes', () => {
    expect(() => endpointFromUrl('ftp://x.io')).to.throw(UsageError, /scheme/)
    expect(() => endpointFromUrl('https://x.io/some/path')).to.throw(UsageError, /registry root/)
  })
})

describe('a repository in a known registry', () => {
  it('is what parsing host/name gives, for the hosts parsing recognizes', () => {
    for (const [host, name] of [
      ['127.0.0.1:5000', 'team/app'],
      ['ghcr.io', 'org/tool'],
      ['localhost', 'app'],
      ['docker.io', 'nginx'],
    ]) {
      expect(repositoryIn(host, name)).to.deep.equal(parseRepository(`${host}/${name}`))
    }
  })

  it('keeps a registry host that parsing would read as a Docker Hub namespace (no dot, no port)', () => {
    expect(repositoryIn('registry', 'team/app')).to.deep.equal({registry: 'registry', repository: 'team/app'})
  })

  it('names Docker Hub by one name whichever alias the endpoint has, and checks the name by the same rules', () => {
    expect(repositoryIn('registry-1.docker.io', 'nginx')).to.deep.equal({registry: 'docker.io', repository: 'library/nginx'})
    expect(repositoryIn('index.docker.io', 'team/app').registry).to.equal('docker.io')
    expect(() => repositoryIn('127.0.0.1:5000', 'Team/App')).to.throw(
      UsageError,
      'invalid reference "127.0.0.1:5000/Team/App": "Team" must be lowercase',
    )
  })
})
