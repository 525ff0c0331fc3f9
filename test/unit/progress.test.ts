import {Writable} from 'node:stream'

import {expect} from 'chai'

import {startProgress} from '../../src/output/progress.js'

type FakeTerminal = NodeJS.WriteStream & {writes: number; firstWrite: Promise<void>}

/** A fake terminal stream: counts writes and throws past a bound, so a runaway redraw fails instead of hanging. */
function fakeTerminal(columns: number): FakeTerminal {
  const stream = new Writable({write: (_chunk, _encoding, done) => done()}) as unknown as FakeTerminal
  stream.writes = 0
  let written!: () => void
  stream.firstWrite = new Promise((resolve) => (written = resolve))
  const count = () => {
    if (++stream.writes > 1000) throw new Error('runaway spinner output')
    written()
    return true
  }
  Object.assign(stream, {isTTY: true, columns, cursorTo: count, moveCursor: count, clearLine: count, write: count})
  return stream
}

describe('progress spinner', () => {
  it('draws on a terminal of known width and stops after a bounded number of writes', async () => {
    const stream = fakeTerminal(80)
    const progress = startProgress('Listing tags of team/app', {stream})
    // ora is loaded lazily (start-up cost): the spinner's first drawing says it has started.
    await stream.firstWrite
    progress.update('Listing tags of team/app: 1000')
    progress.stop()
    expect(stream.writes).to.be.greaterThan(0).and.lessThan(50)
  })

  it('stays off on a terminal that reports 0 columns (ora would clear lines forever there)', () => {
    const stream = fakeTerminal(0)
    const progress = startProgress('Listing tags of team/app', {stream})
    progress.update('Listing tags of team/app: 1000')
    progress.stop()
    expect(stream.writes).to.equal(0)
  })

  it('stays off when the stream is not a terminal, and with quiet', () => {
    const piped = Object.assign(fakeTerminal(80), {isTTY: false})
    startProgress('x', {stream: piped}).stop()
    const quiet = fakeTerminal(80)
    startProgress('x', {stream: quiet, quiet: true}).stop()
    expect(piped.writes + quiet.writes).to.equal(0)
  })
})
