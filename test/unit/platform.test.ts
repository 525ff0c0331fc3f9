import {expect} from 'chai'

import {UsageError} from '../../src/errors.js'
import {formatPlatform, isAttestation, matchesPlatform, parsePlatformFilter, selectPlatform} from '../../src/image/platform.js'
import type {Descriptor, Platform} from '../../src/registry/types/manifest.js'

const linux = (architecture: string, variant?: string): Platform => ({os: 'linux', architecture, ...(variant ? {variant} : {})})

describe('platform filters', () => {
  it('parses os/arch and os/arch/variant, lowercased', () => {
    expect(parsePlatformFilter('linux/amd64')).to.deep.equal({os: 'linux', architecture: 'amd64'})
    expect(parsePlatformFilter('Linux/ARM64/V8')).to.deep.equal({os: 'linux', architecture: 'arm64', variant: 'v8'})
  })

  it('normalises uname-style architecture names', () => {
    expect(parsePlatformFilter('linux/x86_64')).to.deep.equal({os: 'linux', architecture: 'amd64'})
    expect(parsePlatformFilter('linux/aarch64')).to.deep.equal({os: 'linux', architecture: 'arm64'})
    expect(parsePlatformFilter('linux/armhf')).to.deep.equal({os: 'linux', architecture: 'arm', variant: 'v7'})
  })

  it('rejects anything but two or three non-empty segments with a usage error', () => {
    for (const bad of ['linux', 'linux/', '/amd64', 'linux/arm/v7/extra', 'linux amd64', '']) {
      expect(() => parsePlatformFilter(bad), bad).to.throw(UsageError, /expected os\/arch\[\/variant\]/)
    }
  })
})

describe('platform matching', () => {
  it('linux/arm64 matches linux/arm64/v8 and plain linux/arm64', () => {
    const filter = parsePlatformFilter('linux/arm64')
    expect(matchesPlatform(linux('arm64', 'v8'), filter)).to.equal(true)
    expect(matchesPlatform(linux('arm64'), filter)).to.equal(true)
  })

  it('linux/arm64/v8 matches an arm64 image that names no variant (v8 is the default)', () => {
    expect(matchesPlatform(linux('arm64'), parsePlatformFilter('linux/arm64/v8'))).to.equal(true)
  })

  it('a variant in the filter must match the image variant', () => {
    expect(matchesPlatform(linux('arm', 'v6'), parsePlatformFilter('linux/arm/v7'))).to.equal(false)
    expect(matchesPlatform(linux('arm', 'v7'), parsePlatformFilter('linux/arm/v7'))).to.equal(true)
    expect(matchesPlatform(linux('arm'), parsePlatformFilter('linux/arm/v7'))).to.equal(true)
  })

  it('os and architecture must both match', () => {
    expect(matchesPlatform(linux('amd64'), parsePlatformFilter('windows/amd64'))).to.equal(false)
    expect(matchesPlatform(linux('amd64'), parsePlatformFilter('linux/arm64'))).to.equal(false)
    expect(matchesPlatform({os: 'linux', architecture: 'x86_64'}, parsePlatformFilter('linux/amd64'))).to.equal(true)
  })

  it('selects the default variant among several matches, else the first listed', () => {
    const entries = [linux('arm', 'v6'), linux('arm', 'v7'), linux('arm64')]
    expect(selectPlatform(entries, parsePlatformFilter('linux/arm'), (entry) => entry)).to.deep.equal(linux('arm', 'v7'))
    expect(selectPlatform([linux('arm', 'v5'), linux('arm', 'v6')], parsePlatformFilter('linux/arm'), (entry) => entry)).to.deep.equal(
      linux('arm', 'v5'),
    )
    expect(selectPlatform(entries, parsePlatformFilter('linux/s390x'), (entry) => entry)).to.equal(undefined)
  })

  it('formats os/arch[/variant]', () => {
    expect(formatPlatform(linux('arm64', 'v8'))).to.equal('linux/arm64/v8')
    expect(formatPlatform(linux('amd64'))).to.equal('linux/amd64')
  })
})

describe('attestation detection', () => {
  const descriptor = (extra: Partial<Descriptor>): Descriptor => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${'a'.repeat(64)}`,
    size: 1,
    ...extra,
  })

  it('recognises buildx attestation manifests by annotation or by the unknown/unknown platform', () => {
    expect(isAttestation(descriptor({annotations: {'vnd.docker.reference.type': 'attestation-manifest'}}))).to.equal(true)
    expect(isAttestation(descriptor({platform: {os: 'unknown', architecture: 'unknown'}}))).to.equal(true)
  })

  it('treats real platforms and platform-less entries as images', () => {
    expect(isAttestation(descriptor({platform: linux('amd64')}))).to.equal(false)
    expect(isAttestation(descriptor({}))).to.equal(false)
  })
})
