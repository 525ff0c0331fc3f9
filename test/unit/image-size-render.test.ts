import {expect} from 'chai'
import {Chalk} from 'chalk'

import type {ImageSummary} from '../../src/image/summary.js'
import {renderImageSize} from '../../src/output/image-size.js'

const digest = (c: string) => `sha256:${c.repeat(64)}` as const
const summary: ImageSummary = {
  digest: digest('a'),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  kind: 'index',
  created: null,
  platforms: [
    {os: 'linux', architecture: 'amd64', digest: digest('b'), size: 1500},
    {os: 'linux', architecture: 'arm64', digest: digest('c'), size: 2500},
  ],
  size: 3000,
}
const image = {registry: 'lab:5000', repository: 'app', reference: '1.0', summary}
const chalk = new Chalk({level: 0})

describe('image size rendering', () => {
  it('a table of platforms with the TOTAL of distinct blobs, exact bytes on request', () => {
    const lines = renderImageSize(image, {json: false, exact: true, chalk}).split('\n')
    expect(lines.map((line) => line.split(/\s{2,}/))).to.deep.equal([
      ['PLATFORM', 'DIGEST', 'SIZE'],
      ['linux/amd64', 'sha256:bbbbbbbbbbbb', '1500'],
      ['linux/arm64', 'sha256:cccccccccccc', '2500'],
      ['TOTAL (distinct blobs)', '3000'],
      [''],
    ])
  })

  it('one platform: no TOTAL line; JSON: the summary under the image it names', () => {
    const single = {...image, summary: {...summary, platforms: summary.platforms.slice(0, 1), size: 1500}}
    expect(renderImageSize(single, {json: false, exact: false, chalk})).not.to.contain('TOTAL')
    const json = renderImageSize(image, {json: true, exact: false, chalk})
    expect(json.endsWith('}\n')).to.equal(true)
    expect(JSON.parse(json)).to.deep.equal({registry: 'lab:5000', repository: 'app', reference: '1.0', ...summary})
  })
})
