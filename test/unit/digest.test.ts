import {expect} from 'chai'

import {isDigest, parseDigest} from '../../src/registry/digest.js'
import {UsageError} from '../../src/errors.js'

const SHA256 = `sha256:${'a'.repeat(64)}`

/**
 * Counts errors constructed while `fn` runs: every ReglensError sets its `name`, and an accessor put
 * on Error.prototype for the duration sees each of those assignments.
 */
function errorsBuiltDuring(fn: () => void): number {
  const original = Object.getOwnPropertyDescriptor(Error.prototype, 'name') as PropertyDescriptor
  let built = 0
  Object.defineProperty(Error.prototype, 'name', {
    configurable: true,
    get: () => 'Error',
    set(this: Error, value: string) {
      built++
      Object.defineProperty(this, 'name', {value, writable: true, configurable: true, enumerable: false})
    },
  })
  try {
    fn()
  } finally {
    Object.defineProperty(Error.prototype, 'name', original)
  }
  return built
}

describe('digests', () => {
  it('isDigest tells digests from tag names', () => {
    expect(isDigest(SHA256)).to.equal(true)
    expect(isDigest(`sha512:${'0'.repeat(128)}`)).to.equal(true)
    for (const value of ['latest', 'v1.2.3', 'sha256:abc', `sha256:${'A'.repeat(64)}`, `md5:${'a'.repeat(32)}`, ''])
      expect(isDigest(value), value).to.equal(false)
  })

  it('isDigest builds no error for a tag name (it runs once per tag of a listing)', () => {
    expect(errorsBuiltDuring(() => isDigest('latest'))).to.equal(0)
    // The probe itself works: parseDigest does build one.
    expect(errorsBuiltDuring(() => expect(() => parseDigest('latest')).to.throw(UsageError))).to.be.greaterThan(0)
  })

  it('parseDigest says why a value is not a digest, in one line', () => {
    expect(parseDigest(SHA256)).to.equal(SHA256)
    expect(() => parseDigest('latest')).to.throw(UsageError, 'invalid digest "latest": expected algorithm:hex')
    expect(() => parseDigest(`md5:${'a'.repeat(32)}`)).to.throw(UsageError, 'unsupported algorithm "md5"')
    expect(() => parseDigest('sha256:abc')).to.throw(UsageError, 'sha256 needs 64 lowercase hex digits')
  })
})
