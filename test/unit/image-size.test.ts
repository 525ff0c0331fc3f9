import {expect} from 'chai'

import {isArtifact} from '../../src/image/describe.js'
import {historyWithLayers} from '../../src/image/inspect.js'
import {SizeTally, sumSizes, uniqueSize} from '../../src/image/size.js'
import type {Digest} from '../../src/registry/digest.js'
import type {Descriptor} from '../../src/registry/types/manifest.js'
import {MediaType} from '../../src/registry/types/media-types.js'

const digest = (char: string): Digest => `sha256:${char.repeat(64)}`
const blob = (char: string, size: number, mediaType: string = MediaType.ociLayerGzip): Descriptor => ({
  mediaType,
  digest: digest(char),
  size,
})

describe('size arithmetic', () => {
  it('sumSizes counts every listed descriptor, repeats included (as jq add does)', () => {
    expect(sumSizes([blob('a', 10), blob('b', 5), blob('a', 10)])).to.equal(25)
    expect(sumSizes([])).to.equal(0)
  })

  it('uniqueSize counts each digest once', () => {
    expect(uniqueSize([blob('a', 10), blob('b', 5), blob('a', 10)])).to.equal(15)
  })

  it('SizeTally accumulates unique bytes across images', () => {
    const tally = new SizeTally()
    tally.add([blob('a', 10), blob('b', 5)])
    tally.add([blob('a', 10), blob('c', 1)])
    expect(tally.total).to.equal(16)
    expect(tally.blobs).to.equal(3)
  })
})

describe('history and layers', () => {
  it('pairs each non-empty history step with the next layer and marks empty steps without one', () => {
    const layers = [{digest: digest('a')}, {digest: digest('b')}]
    const history = [
      {createdBy: 'ADD', emptyLayer: false},
      {createdBy: 'ENV', emptyLayer: true},
      {createdBy: 'RUN', emptyLayer: false},
    ]
    expect(historyWithLayers(history, layers)).to.deep.equal([
      {createdBy: 'ADD', emptyLayer: false, layer: digest('a')},
      {createdBy: 'ENV', emptyLayer: true},
      {createdBy: 'RUN', emptyLayer: false, layer: digest('b')},
    ])
  })

  it('leaves steps beyond the last layer unpaired rather than inventing layers', () => {
    expect(historyWithLayers([{emptyLayer: false}, {emptyLayer: false}], [{digest: digest('a')}])).to.deep.equal([
      {emptyLayer: false, layer: digest('a')},
      {emptyLayer: false},
    ])
  })
})

describe('artifact detection', () => {
  const config = (mediaType: string) => blob('c', 2, mediaType)

  it('an OCI or Docker image config over filesystem layers is an image', () => {
    expect(isArtifact({config: config(MediaType.ociConfig), layers: [blob('a', 1)]})).to.equal(false)
    expect(isArtifact({config: config(MediaType.dockerConfig), layers: [blob('a', 1, MediaType.dockerLayerGzip)]})).to.equal(false)
  })

  it('artifactType, a non-image config or non-filesystem layers make an artifact', () => {
    expect(isArtifact({artifactType: 'application/vnd.example', config: config(MediaType.ociEmpty), layers: []})).to.equal(true)
    expect(isArtifact({config: config('application/vnd.cncf.helm.config.v1+json'), layers: [blob('a', 1)]})).to.equal(true)
    expect(isArtifact({config: config(MediaType.ociConfig), layers: [blob('a', 1, 'application/vnd.in-toto+json')]})).to.equal(true)
  })
})
