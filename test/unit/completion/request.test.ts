import {expect} from 'chai'

import {completionRequest, splitTyped} from '../../../src/completion/request.js'

describe('what a shell completion asks for', () => {
  it('the value of --registry / -r is a configured registry name', () => {
    expect(completionRequest(['tags', 'list', '-r', 'pr'])).to.deep.equal({kind: 'registry', prefix: 'pr'})
    expect(completionRequest(['repos', 'list', '--registry', ''])).to.deep.equal({kind: 'registry', prefix: ''})
  })

  it('the argument of a command taking a reference is a reference, with the --registry and --config given', () => {
    expect(completionRequest(['tags', 'list', 'team/'])).to.deep.equal({kind: 'reference', prefix: 'team/'})
    expect(completionRequest(['image', 'inspect', '-r', 'prod', '--config', '/c.yaml', 'app:v'])).to.deep.equal({
      kind: 'reference',
      prefix: 'app:v',
      registry: 'prod',
      config: '/c.yaml',
    })
    expect(completionRequest(['scan', '--fail-on', 'high', ''])).to.deep.equal({kind: 'reference', prefix: ''})
    expect(completionRequest(['image', 'delete', 'a:1', 'a:'])).to.deep.equal({kind: 'reference', prefix: 'a:'})
  })

  it('command names, flags and commands without references are left to the static completion', () => {
    expect(completionRequest(['ta'])).to.equal(undefined)
    expect(completionRequest(['tags', ''])).to.equal(undefined)
    expect(completionRequest(['tags', 'list', '--fi'])).to.equal(undefined)
    expect(completionRequest(['repos', 'list', ''])).to.equal(undefined)
    expect(completionRequest(['scan', 'db', 'update', ''])).to.equal(undefined)
    expect(completionRequest([])).to.equal(undefined)
  })

  it('a typed reference splits into host, repository and tag prefix as Docker reads it', () => {
    expect(splitTyped('localhost:5000/team/ap')).to.deep.equal({host: 'localhost:5000', repository: 'team/ap'})
    expect(splitTyped('reg.example.com/team/app:v1')).to.deep.equal({host: 'reg.example.com', repository: 'team/app', tag: 'v1'})
    expect(splitTyped('team/app:')).to.deep.equal({repository: 'team/app', tag: ''})
    expect(splitTyped('localhost/app')).to.deep.equal({host: 'localhost', repository: 'app'})
    expect(splitTyped('app')).to.deep.equal({repository: 'app'})
  })
})
