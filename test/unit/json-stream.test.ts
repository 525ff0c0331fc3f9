import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {writeJsonStream} from '../../src/output/json.js'

async function render(
  items: AsyncIterable<unknown> | Iterable<unknown>,
  tail?: () => Record<string, unknown>,
): Promise<{text: string; error?: Error}> {
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk) => (text += chunk))
  try {
    await writeJsonStream(out, {registry: 'r'}, 'tags', items, tail)
    return {text}
  } catch (error) {
    return {text, error: error as Error}
  }
}

describe('streamed JSON documents', () => {
  it('is one valid document with or without items, and with a tail', async () => {
    expect(JSON.parse((await render([])).text)).to.deep.equal({registry: 'r', tags: []})
    expect(JSON.parse((await render([{name: 'a'}, {name: 'b'}], () => ({size: 3}))).text)).to.deep.equal({
      registry: 'r',
      tags: [{name: 'a'}, {name: 'b'}],
      size: 3,
    })
  })

  it('writes nothing when the items fail before the first one (the error alone tells the caller)', async () => {
    const failing: AsyncIterable<unknown> = {
      [Symbol.asyncIterator]: () => ({next: () => Promise.reject(new Error('unreachable'))}),
    }
    const result = await render(failing)
    expect(result.error?.message).to.equal('unreachable')
    expect(result.text).to.equal('')
  })
})
