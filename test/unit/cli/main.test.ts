import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {needsNoPlugins} from '../../../src/cli/main.js'

describe('which invocations load oclif plugins', () => {
  const own = new Set(['tags', 'repos', 'image', 'gc-hint', 'scan', 'registry'])

  it('a command of the CLI runs without plugins, in either separator form', () => {
    expect(needsNoPlugins(['tags', 'list', 'localhost:5000/a'], own)).to.equal(true)
    expect(needsNoPlugins(['tags:list', 'localhost:5000/a', '--json'], own)).to.equal(true)
    expect(needsNoPlugins(['gc-hint'], own)).to.equal(true)
    expect(needsNoPlugins(['--version'], own)).to.equal(true)
  })

  it("help screens, the plugins' commands, no command and unknown words load them", () => {
    expect(needsNoPlugins(['tags', 'list', '--help'], own)).to.equal(false)
    expect(needsNoPlugins(['image', '-h'], own)).to.equal(false)
    expect(needsNoPlugins(['help', 'tags'], own)).to.equal(false)
    expect(needsNoPlugins(['autocomplete', 'script', 'bash'], own)).to.equal(false)
    expect(needsNoPlugins([], own)).to.equal(false)
    expect(needsNoPlugins(['--version', '--help'], own)).to.equal(false)
    expect(needsNoPlugins(['autocomplet'], own)).to.equal(false)
  })
})

describe("the bundle's sort of command ids (scripts/build-cli.js, SOURCE_EDITS)", () => {
  it("code-point order sorts the CLI's and its plugins' ids as localeCompare did", () => {
    const manifests = [
      'oclif.manifest.json',
      'node_modules/@oclif/plugin-autocomplete/oclif.manifest.json',
      'node_modules/@oclif/plugin-help/oclif.manifest.json',
    ]
    const ids = manifests.flatMap((path) => Object.keys((JSON.parse(readFileSync(path, 'utf8')) as {commands: object}).commands))
    expect(ids.length).to.be.above(15)
    const byCodePoint = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    expect(byCodePoint).to.deep.equal([...ids].sort((a, b) => a.localeCompare(b)))
  })
})
