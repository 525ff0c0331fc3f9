import {expect} from 'chai'

import {RegistryError} from '../../src/errors.js'
import {parseImageConfig} from '../../src/registry/types/config.js'

const parse = (doc: unknown) => parseImageConfig(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)), 'test')
const diff = `sha256:${'b'.repeat(64)}`

describe('image config validation', () => {
  it('reads the runtime config, platform, history and diff ids of a Docker config', () => {
    const config = parse({
      created: '2024-01-01T00:00:00Z',
      author: 'me',
      architecture: 'arm',
      os: 'linux',
      variant: 'v7',
      config: {
        User: 'app',
        WorkingDir: '/srv',
        Entrypoint: ['/bin/app'],
        Cmd: null,
        Env: ['A=1'],
        Labels: {a: 'b'},
        ExposedPorts: {'80/tcp': {}, '53/udp': {}},
        Volumes: {'/data': {}},
      },
      history: [
        {created: '2024-01-01T00:00:00Z', created_by: 'ADD x', empty_layer: false},
        {created_by: 'ENV A=1', empty_layer: true},
      ],
      rootfs: {type: 'layers', diff_ids: [diff]},
    })
    expect(config).to.deep.equal({
      created: '2024-01-01T00:00:00Z',
      author: 'me',
      architecture: 'arm',
      os: 'linux',
      variant: 'v7',
      user: 'app',
      workingDir: '/srv',
      entrypoint: ['/bin/app'],
      env: ['A=1'],
      labels: {a: 'b'},
      exposedPorts: ['80/tcp', '53/udp'],
      volumes: ['/data'],
      history: [
        {created: '2024-01-01T00:00:00Z', createdBy: 'ADD x', emptyLayer: false},
        {createdBy: 'ENV A=1', emptyLayer: true},
      ],
      diffIds: [diff],
    })
  })

  it('accepts a minimal config: no created time, no history, no rootfs', () => {
    expect(parse({architecture: 'amd64', os: 'linux'})).to.deep.equal({architecture: 'amd64', os: 'linux', history: [], diffIds: []})
  })

  it('rejects non-JSON, non-objects and wrongly typed fields with one line naming the field', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /body is not JSON/],
      [[1, 2], /not a JSON object/],
      [{created: 5}, /created must be a string/],
      [{config: {Env: 'A=1'}}, /Env must be a list of strings/],
      [{config: {Labels: {a: 1}}}, /Labels must map strings to strings/],
      [{history: [{empty_layer: 'yes'}]}, /empty_layer must be a boolean/],
      [{rootfs: {diff_ids: ['nope']}}, /diff_id "nope" is not a valid digest/],
    ]
    for (const [doc, message] of cases) {
      expect(() => parse(doc), String(message)).to.throw(RegistryError, message)
      try {
        parse(doc)
      } catch (error) {
        expect((error as RegistryError).kind).to.equal('badResponse')
        expect((error as Error).message).to.not.include('\n')
      }
    }
  })
})
