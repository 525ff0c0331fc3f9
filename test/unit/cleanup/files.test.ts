import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {readPlan} from '../../../src/cleanup/plan-file.js'
import {readPolicy, rulesFor} from '../../../src/cleanup/policy-file.js'
import {parseDuration} from '../../../src/cleanup/policy.js'
import {UsageError} from '../../../src/errors.js'

function file(name: string, text: string): string {
  const path = join(tmpdir(), `reglens-${process.pid}-${name}`)
  writeFileSync(path, text)
  return path
}

describe('cleanup policy and plan files', () => {
  it('parses a policy: first matching rule per repository, durations in ms', () => {
    const policy = readPolicy(
      file(
        'ok.yaml',
        "version: 1\nrules:\n  - repositories: '^pr/'\n    older_than: 7d\n  - keep_last: 3\n    keep: '^v'\n    delete_undated: true\n",
      ),
    )
    expect(rulesFor(policy, 'pr/x')).to.deep.equal({olderThanMs: 7 * 86_400_000, source: 'policy'})
    const fallback = rulesFor(policy, 'team/app')!
    expect(fallback.keepLast).to.equal(3)
    expect(fallback.keep!.source).to.equal('^v')
    expect(fallback.deleteUndated).to.equal(true)
  })

  it('reads keep_last_tags from a policy', () => {
    const policy = readPolicy(file('tags.yaml', "rules:\n  - match: '^pr-'\n    keep_last_tags: 4\n"))
    expect(rulesFor(policy, 'any')!.keepLastTags).to.equal(4)
  })

  const invalid: [string, string, RegExp][] = [
    ['unknown key', 'rules:\n  - keep_lats: 3\n', /rules\[0\]\.keep_lats: unknown key/],
    ['bad regex', "rules:\n  - keep_last: 1\n    keep: '('\n", /rules\[0\]\.keep: invalid regular expression/],
    ['bad duration', 'rules:\n  - older_than: 30 days\n', /rules\[0\]\.older_than: invalid duration "30 days"/],
    ['negative count', 'rules:\n  - keep_last: -1\n', /rules\[0\]\.keep_last: must be a whole number/],
    ['no deletion rule', "rules:\n  - keep: '^v'\n", /rules\[0\]: needs keep_last, keep_last_tags, older_than or match/],
    [
      'keep_last: 0',
      'rules:\n  - keep_last: 0\n',
      /rules\[0\]\.keep_last: 0 would delete every image; to delete every tag on purpose, say so with match: '\.\*' and no keep rule$/,
    ],
    ['keep_last_tags: 0', "rules:\n  - match: '^pr-'\n    keep_last_tags: 0\n", /rules\[0\]\.keep_last_tags: 0 would delete every image/],
    ['no rules', 'version: 1\n', /rules: must be a non-empty list/],
    ['top-level typo', 'rule: []\n', /rule: unknown key/],
    ['bad YAML', 'rules: [\n', /invalid YAML: .*at line \d+, column \d+$/],
  ]
  for (const [what, text, message] of invalid) {
    it(`rejects a policy with ${what} in one line naming the key`, () => {
      const path = file(`bad-${what.replace(/\W/g, '')}.yaml`, text)
      expect(() => readPolicy(path)).to.throw(UsageError, message)
      try {
        readPolicy(path)
      } catch (error) {
        expect((error as Error).message).to.not.contain('\n')
        expect((error as Error).message).to.contain(path)
      }
    })
  }

  it('durations: s, m, h, d, w; anything else is a usage error', () => {
    expect(parseDuration('90m', 'x')).to.equal(90 * 60_000)
    expect(parseDuration('2w', 'x')).to.equal(14 * 86_400_000)
    expect(() => parseDuration('1y', '--older-than')).to.throw(UsageError, /--older-than: invalid duration "1y"/)
  })

  it('validates a saved plan before using it', () => {
    const good = {
      kind: 'reglens/cleanup-plan',
      version: 1,
      registry: 'r.example',
      createdAt: '',
      items: [{repository: 'a', tag: 't', digest: `sha256:${'a'.repeat(64)}`, action: 'delete'}],
    }
    expect(readPlan(file('plan.json', JSON.stringify(good))).items[0]).to.include({
      repository: 'a',
      tag: 't',
      action: 'delete',
      size: 0,
      created: null,
    })
    expect(() => readPlan(file('plan-kind.json', JSON.stringify({...good, kind: 'x'})))).to.throw(
      UsageError,
      /kind must be "reglens\/cleanup-plan"/,
    )
    expect(() => readPlan(file('plan-action.json', JSON.stringify({...good, items: [{...good.items[0], action: 'nuke'}]})))).to.throw(
      UsageError,
      /items\[0\]\.action must be keep, untag or delete/,
    )
    expect(() => readPlan(file('plan-digest.json', JSON.stringify({...good, items: [{...good.items[0], digest: 'sha256:zz'}]})))).to.throw(
      UsageError,
      /items\[0\]\.digest must be a digest/,
    )
    expect(() => readPlan('/nonexistent/plan.json')).to.throw(UsageError, /no such file/)
  })
})
