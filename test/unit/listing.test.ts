import {PassThrough} from 'node:stream'

import {expect} from 'chai'
import {Chalk} from 'chalk'

import {type Listing, renderListing} from '../../src/output/listing.js'

type Item = {name: string; error?: string}

const listing: Listing<Item, {name: string}> = {
  head: {registry: 'r.example'},
  key: 'things',
  tail: () => ({total: 2}),
  rows: (item) => (item.error ? [] : [{name: item.name}]),
  footer: (rows) => (rows.length > 0 ? [{name: 'TOTAL'}] : []),
  table: (rows) => rows.map((row) => row.name).join('\n'),
  count: ({items, rows, failures}) => `${items} items, ${rows} rows, ${failures} failed`,
  failures: (item) => (item.error ? [`${item.name}: ${item.error}`] : []),
}

async function render(items: Item[], json: boolean, quiet = false) {
  const stdout = new PassThrough()
  let out = ''
  stdout.on('data', (chunk) => (out += chunk))
  let err = ''
  const result = await renderListing(
    (async function* () {
      yield* items
    })(),
    listing,
    {json, quiet, chalk: new Chalk({level: 0}), stdout, stderr: {write: (text: string) => (err += text)}},
  )
  return {...result, out, err}
}

describe('listing renderer', () => {
  const items = [{name: 'a'}, {name: 'b', error: 'gone'}, {name: 'c'}]

  it('collects a table with its footer and a count line, and returns the failures', async () => {
    const result = await render(items, false)
    expect(result.out).to.equal('a\nc\nTOTAL\n')
    expect(result.err).to.equal('3 items, 2 rows, 1 failed\n')
    expect(result).to.deep.include({items: 3, failures: ['b: gone']})
  })

  it('streams every item as JSON, with its tail, and nothing on stderr', async () => {
    const result = await render(items, true)
    expect(JSON.parse(result.out)).to.deep.equal({registry: 'r.example', things: items, total: 2})
    expect(result.err).to.equal('')
    expect(result.failures).to.deep.equal(['b: gone'])
  })

  it('prints no table for no rows, valid JSON for no items, and no count line with quiet', async () => {
    expect(await render([], false, true)).to.deep.include({out: '', err: ''})
    expect(JSON.parse((await render([], true)).out)).to.deep.equal({registry: 'r.example', things: [], total: 2})
  })
})
