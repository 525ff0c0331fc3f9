import {PassThrough} from 'node:stream'

import {expect} from 'chai'
import {Chalk} from 'chalk'

import type {TagsToShow} from '../../src/image/tag-listing.js'
import {renderTagList, tagListNotices} from '../../src/output/tag-listing.js'

const head = {registry: 'lab:5000', repository: 'team/app'}
const digest = `sha256:${'a'.repeat(64)}` as const

async function render(shown: TagsToShow, options: {json?: boolean; quiet?: boolean} = {}) {
  const stdout = new PassThrough()
  let out = ''
  stdout.on('data', (chunk) => (out += chunk))
  let err = ''
  const stderr = {write: (text: string) => (err += text)}
  const output = {json: false, quiet: false, ...options, chalk: new Chalk({level: 0}), stdout, stderr, exact: false}
  const result = await renderTagList(shown, head, output)
  return {out, err, result}
}

describe('tags list rendering', () => {
  it('names: a TAG table on stdout and the count line on stderr', async () => {
    const {out, err, result} = await render({kind: 'names', tags: [{name: '1.0'}, {name: 'latest'}]})
    expect(out).to.equal('TAG\n1.0\nlatest\n')
    expect(err).to.equal('2 tags in lab:5000/team/app\n')
    expect(result).to.deep.equal({failures: [], total: 2})
  })

  it('names as JSON: the document, no count line; none at all with no tags', async () => {
    const {out, err} = await render({kind: 'names', tags: [{name: 'sig', subject: digest}]}, {json: true})
    expect(JSON.parse(out)).to.deep.equal({...head, tags: [{name: 'sig', subject: digest}]})
    expect(err).to.equal('')
    expect((await render({kind: 'names', tags: []})).out).to.equal('')
  })

  it('a digest: the count line says what the tags point at, with --json too', async () => {
    const {out, err} = await render({kind: 'digest', digest, tags: [{name: 'old', digest, via: null}]}, {json: true})
    expect(JSON.parse(out)).to.deep.equal({...head, digest, tags: [{name: 'old', digest, via: null}]})
    expect(err).to.equal(`1 tag pointing at ${digest} in lab:5000/team/app\n`)
  })

  it('details: failed tags marked in the table and returned as failure lines; --quiet drops the count', async () => {
    const shown: TagsToShow = {
      kind: 'details',
      count: 1,
      tags: [{name: 'gone', error: 'manifest unknown'}],
      failed: [{name: 'gone', error: 'manifest unknown'}],
    }
    const {out, err, result} = await render(shown, {quiet: true})
    expect(out.split('\n')[1]).to.match(/^gone\s+-\s+-\s+\(failed\)\s+-$/)
    expect(err).to.equal('')
    expect(result).to.deep.equal({failures: ['gone: manifest unknown'], total: 1})
  })

  it('notices: the hidden referrer tags on stderr, unless quiet or there are none', () => {
    let err = ''
    const stderr = {write: (text: string) => (err += text)}
    tagListNotices({json: true, quiet: false, stderr}).listed(0)
    tagListNotices({json: false, quiet: true, stderr}).listed(3)
    expect(err).to.equal('')
    tagListNotices({json: false, quiet: false, stderr}).listed(2)
    expect(err).to.equal('2 referrer tags (signatures, attestations, SBOMs) not shown; --show-referrers lists them\n')
  })
})
