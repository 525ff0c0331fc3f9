import {expect} from 'chai'

import {withCliHints} from '../../src/cli/hints.js'
import {ExitCode} from '../../src/errors.js'
import {errorFromNetwork, errorFromResponse, parseErrorBody} from '../../src/registry/transport/errors.js'

const subject = {host: 'r.io', repository: 'team/app', action: 'list tags'}
const body = (code: string, message = 'msg') => JSON.stringify({errors: [{code, message, detail: {}}]})

describe('registry error mapping', () => {
  const cases: [number, string, number][] = [
    [404, 'NAME_UNKNOWN', ExitCode.notFound],
    [404, 'MANIFEST_UNKNOWN', ExitCode.notFound],
    [401, 'UNAUTHORIZED', ExitCode.unauthorized],
    [403, 'DENIED', ExitCode.denied],
    [405, 'UNSUPPORTED', ExitCode.unsupported],
    [429, 'TOOMANYREQUESTS', ExitCode.rateLimited],
    [400, 'PAGINATION_NUMBER_INVALID', ExitCode.usage],
    [503, 'UNAVAILABLE', ExitCode.serverError],
  ]
  for (const [status, code, exit] of cases) {
    it(`maps HTTP ${status} ${code} to exit code ${exit} with a one-line message quoting the registry`, () => {
      const error = errorFromResponse(status, body(code), subject)
      expect(error.exitCode).to.equal(exit)
      expect(error.details).to.include({status, code})
      expect(error.message).to.include(`[HTTP ${status}: ${code} msg]`)
      expect(error.message).to.not.include('\n')
    })
  }

  it('writes a missing digest as repo@digest and a missing tag as repo:tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    expect(errorFromResponse(404, body('MANIFEST_UNKNOWN'), {...subject, reference: digest}).message).to.match(
      new RegExp(`^r\\.io/team/app@${digest} not found`),
    )
    expect(errorFromResponse(404, body('MANIFEST_UNKNOWN'), {...subject, reference: 'v1'}).message).to.match(
      /^r\.io\/team\/app:v1 not found/,
    )
  })

  it('names the repository when it is unknown', () => {
    expect(errorFromResponse(404, body('NAME_UNKNOWN'), subject).message).to.match(/^repository r\.io\/team\/app not found/)
  })

  it('falls back to the HTTP status when the body is not the spec shape', () => {
    const error = errorFromResponse(403, '<html>forbidden</html>', subject)
    expect(error.exitCode).to.equal(ExitCode.denied)
    expect(error.message).to.equal('access denied to r.io/team/app (list tags) [HTTP 403]')
  })

  it('keeps multi-line registry messages on one line', () => {
    expect(errorFromResponse(500, body('X', 'a\nb'), subject).message).to.not.include('\n')
  })

  it('ignores malformed error arrays', () => {
    expect(parseErrorBody('{"errors": "nope"}')).to.deep.equal([])
    expect(parseErrorBody('{"errors": [1, {"code": 5}]}')).to.deep.equal([{code: '5'}])
  })

  it('maps refused connections, DNS failures and untrusted certificates to their own codes', () => {
    const refused = errorFromNetwork(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}), subject, 'http://r.io')
    expect(refused.exitCode).to.equal(ExitCode.network)
    expect(refused.message).to.equal('cannot reach r.io (list tags): connection refused (is the registry running?)')
    const dns = errorFromNetwork(Object.assign(new Error('getaddrinfo'), {code: 'ENOTFOUND'}), subject, 'http://r.io')
    expect(dns.message).to.contain('host name not found')
    const tls = errorFromNetwork(Object.assign(new Error('self-signed'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), subject, 'https://r.io')
    expect(tls.exitCode).to.equal(ExitCode.tls)
    // The library names no CLI flag; the CLI's failure line does.
    expect(withCliHints(tls.message)).to.contain('--ca-cert')
  })
})
