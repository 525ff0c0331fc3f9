import {expect} from 'chai'
import fc from 'fast-check'

import {
  comparatorFor,
  compareApk,
  compareDpkg,
  comparePep440,
  compareSemver,
  type VersionComparator,
} from '../../../src/scan/versions/index.js'

/** Asserts each version sorts strictly before the next, and that the order is antisymmetric. */
function expectAscending(compare: VersionComparator, versions: string[]): void {
  for (let i = 0; i + 1 < versions.length; i++) {
    const [a, b] = [versions[i], versions[i + 1]]
    expect(Math.sign(compare(a, b)), `${a} < ${b}`).to.equal(-1)
    expect(Math.sign(compare(b, a)), `${b} > ${a}`).to.equal(1)
  }
  const shuffled = [...versions].reverse()
  expect(shuffled.sort(compare)).to.deep.equal(versions)
}

function expectEqual(compare: VersionComparator, pairs: [string, string][]): void {
  for (const [a, b] of pairs) expect(compare(a, b), `${a} == ${b}`).to.equal(0)
}

describe('dpkg version order (deb-version(7))', () => {
  it('sorts tilde before everything, even the end of the string, and letters before other symbols', () => {
    expectAscending(compareDpkg, ['1.0~~', '1.0~~a', '1.0~', '1.0~rc1', '1.0', '1.0a', '1.0+', '1.0.1'])
    expectAscending(compareDpkg, ['1.0', '1.0+dfsg', '1.0.1'])
  })

  it('compares digit runs numerically, ignoring leading zeros', () => {
    expectAscending(compareDpkg, ['1.2', '1.9', '1.10', '1.100', '2'])
    expectEqual(compareDpkg, [
      ['1.02', '1.2'],
      ['01.002.0003', '1.2.3'],
    ])
  })

  it('lets the epoch dominate and treats a missing epoch as 0', () => {
    expectAscending(compareDpkg, ['9.9', '1:0.1', '1:0.2', '2:0.0~beta'])
    expectEqual(compareDpkg, [['0:1.0', '1.0']])
  })

  it('splits the revision at the last hyphen and treats a missing revision like "0"', () => {
    expectAscending(compareDpkg, ['1.0-1', '1.0-1.1', '1.0-2', '1.0-10'])
    expectEqual(compareDpkg, [
      ['1.0', '1.0-0'],
      ['1.0-0', '1.0-00'],
    ])
    expect(compareDpkg('1.0-a-1', '1.0-a-2')).to.be.below(0)
    expect(compareDpkg('2.36-9+deb12u4', '2.36-9+deb12u10')).to.be.below(0)
    expect(compareDpkg('2.36-9+deb12u4', '2.36-9')).to.be.above(0)
  })

  it('orders real Debian security updates like apt does', () => {
    expectAscending(compareDpkg, [
      '1.1.1n-0+deb11u3',
      '1.1.1n-0+deb11u4',
      '1.1.1w-0+deb11u1',
      '3.0.11-1~deb12u2',
      '3.0.15-1~deb12u1',
      '3.0.15-1',
    ])
  })

  it('is a total order on arbitrary version-like strings (reflexive, antisymmetric)', () => {
    const version = fc.stringMatching(/^(\d:)?[0-9][0-9a-z.+~]{0,8}(-[0-9a-z.+~]{1,5})?$/)
    fc.assert(
      fc.property(version, version, (a, b) => compareDpkg(a, a) === 0 && Math.sign(compareDpkg(a, b)) === -Math.sign(compareDpkg(b, a))),
    )
  })
})

describe('apk version order', () => {
  it('sorts pre-release suffixes before the release and post-release suffixes after it', () => {
    expectAscending(compareApk, [
      '1.0_alpha',
      '1.0_alpha1',
      '1.0_alpha2',
      '1.0_beta',
      '1.0_pre1',
      '1.0_rc1',
      '1.0',
      '1.0_cvs1',
      '1.0_svn1',
      '1.0_git20240101',
      '1.0_hg1',
      '1.0_p1',
      '1.0_p2',
    ])
  })

  it('puts letters after the bare number and before the next component', () => {
    expectAscending(compareApk, ['1.2', '1.2a', '1.2b', '1.2.1'])
  })

  it('compares components numerically unless one has a leading zero, then as strings', () => {
    expectAscending(compareApk, ['1.9', '1.10', '1.100'])
    expectAscending(compareApk, ['1.001', '1.01', '1.1'])
    expectAscending(compareApk, ['9', '10', '18446744073709551616'])
  })

  it('orders revisions numerically, after the bare version', () => {
    expectAscending(compareApk, ['3.1.4', '3.1.4-r0', '3.1.4-r1', '3.1.4-r2', '3.1.4-r10', '3.1.5-r0'])
    expectAscending(compareApk, ['1.0_rc1-r5', '1.0-r0'])
  })

  it('orders real Alpine package versions', () => {
    expectAscending(compareApk, ['1.1.1t-r0', '1.1.1u-r0', '3.1.4-r5', '3.1.4-r6', '3.3.0-r0'])
    expectAscending(compareApk, ['1.36.1-r2', '1.36.1-r15', '1.37.0-r0'])
  })

  it('orders chained suffixes and suffixes against letters as apk-tools does', () => {
    expectAscending(compareApk, ['1.0_rc1', '1.0_rc1_p1', '1.0_rc2', '1.0'])
    expectAscending(compareApk, ['1.0', '1.0_p1', '1.0a', '1.0.1'])
  })

  it('is a total order on arbitrary apk-like strings (reflexive, antisymmetric)', () => {
    const version = fc.stringMatching(
      /^[0-9]{1,3}(\.[0-9]{1,3}){0,2}[a-c]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,2})?(-r[0-9]{1,2})?$/,
    )
    fc.assert(
      fc.property(version, version, (a, b) => compareApk(a, a) === 0 && Math.sign(compareApk(a, b)) === -Math.sign(compareApk(b, a))),
    )
  })

  it('treats equal versions as equal and a commit hash as greater than none', () => {
    expectEqual(compareApk, [
      ['1.2.3-r4', '1.2.3-r4'],
      ['1.0', '1.0'],
    ])
    expect(compareApk('1.0~abc123', '1.0')).to.equal(1)
  })
})

describe('npm (semver) and PyPI (PEP 440) order', () => {
  it('orders semver prereleases before releases and accepts loose v-prefixes', () => {
    expectAscending(compareSemver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0'])
    expectEqual(compareSemver, [['v1.2.3', '1.2.3']])
  })

  it('orders PEP 440 dev, pre, post and local releases and epochs', () => {
    expectAscending(comparePep440, [
      '1.0.dev0',
      '1.0a1',
      '1.0a2.dev1',
      '1.0a2',
      '1.0b1',
      '1.0rc1',
      '1.0',
      '1.0+local.1',
      '1.0.post1',
      '1.1',
      '1!0.1',
    ])
    expectEqual(comparePep440, [
      ['1.0', '1.0.0'],
      ['1.0alpha1', '1.0a1'],
      ['1.0-1', '1.0.post1'],
    ])
  })

  it("orders the PEP 440 specification's own example list exactly", () => {
    expectAscending(comparePep440, [
      '1.dev0',
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
    ])
  })

  it('rejects versions that are not in the ecosystem grammar instead of guessing', () => {
    expect(() => compareSemver('not-a-version', '1.0.0')).to.throw('not a semantic version')
    expect(() => comparePep440('1.0', 'banana split')).to.throw('not a PEP 440 version')
  })

  it('picks the comparator from the OSV ecosystem, with or without a release suffix', () => {
    expect(comparatorFor('Debian:12')).to.equal(compareDpkg)
    expect(comparatorFor('Alpine:v3.19')).to.equal(compareApk)
    expect(comparatorFor('npm')).to.equal(compareSemver)
    expect(comparatorFor('PyPI')).to.equal(comparePep440)
    expect(comparatorFor('Hackage')).to.equal(undefined)
  })
})
