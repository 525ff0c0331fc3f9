import {expect} from 'chai'

import {classifyReferrer} from '../../src/registry/types/referrer-kind.js'

describe('classifyReferrer (what a referrer is, from its types and tag)', () => {
  it('a cosign signature: simple-signing layer, or cosign 2 artifactType', () => {
    expect(
      classifyReferrer({
        configMediaType: 'application/vnd.oci.image.config.v1+json',
        layerMediaTypes: ['application/vnd.dev.cosign.simplesigning.v1+json'],
      }),
    ).to.equal('signature')
    expect(classifyReferrer({artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json'})).to.equal('signature')
    expect(classifyReferrer({artifactType: 'application/vnd.cncf.notary.signature'})).to.equal('signature')
    expect(classifyReferrer({artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json'})).to.equal('signature')
  })

  it('an attestation: DSSE envelope or in-toto, even when its predicate is an SBOM', () => {
    expect(classifyReferrer({layerMediaTypes: ['application/vnd.dsse.envelope.v1+json']})).to.equal('attestation')
    expect(classifyReferrer({layerMediaTypes: ['application/vnd.in-toto+json'], artifactType: 'application/spdx+json'})).to.equal(
      'attestation',
    )
  })

  it('an SBOM: SPDX or CycloneDX in artifactType or layers', () => {
    expect(classifyReferrer({artifactType: 'application/spdx+json'})).to.equal('sbom')
    expect(
      classifyReferrer({configMediaType: 'application/vnd.oci.empty.v1+json', layerMediaTypes: ['application/vnd.cyclonedx+json']}),
    ).to.equal('sbom')
    expect(classifyReferrer({layerMediaTypes: ['text/spdx']})).to.equal('sbom')
  })

  it('falls back to the cosign tag suffix, then to a plain artifact', () => {
    expect(classifyReferrer({layerMediaTypes: ['application/octet-stream'], tag: 'sha256-ab.att'})).to.equal('attestation')
    expect(classifyReferrer({layerMediaTypes: ['application/octet-stream'], tag: 'sha256-ab.sbom'})).to.equal('sbom')
    expect(classifyReferrer({artifactType: 'application/vnd.example.readme'})).to.equal('artifact')
  })
})
