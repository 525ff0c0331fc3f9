import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {buildImage, pushImage} from '../../src/devtools/images.js'
import {parseRepository} from '../../src/registry/reference.js'
import {runCli} from '../helpers/cli.js'
import {useRegistry} from '../helpers/registry.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

describe('live shell completion against the real registry', function () {
  const env = useRegistry()
  const home = mkdtempSync(join(tmpdir(), 'reglens-completion-'))
  const cacheHome = join(home, 'cache')
  const configHome = join(home, 'config')
  // A loaded test machine can take more than the interactive 0.3 s to start; the deadline test sets its own.
  const cliEnv = () => ({XDG_CACHE_HOME: cacheHome, XDG_CONFIG_HOME: configHome, REGLENS_COMPLETION_TIMEOUT: '30'})
  const lines = (text: string) => text.split('\n').filter((line) => line !== '')

  before(async () => {
    const image = await buildImage({layers: [{'a.txt': 'a'}]})
    for (const [name, tags] of [
      ['team/api', ['1.0', '1.1', 'latest']],
      ['team/web', ['2.0']],
      ['other/tool', ['x']],
    ] as const) {
      for (const tag of tags) await pushImage(env.client, parseRepository(`${env.registry.host}/${name}`), image, tag)
    }
    mkdirSync(join(configHome, 'reglens'), {recursive: true})
    writeFileSync(
      join(configHome, 'reglens', 'config.yaml'),
      `registries:\n  local:\n    url: ${env.registry.url}\n  prod:\n    url: registry.example.com\n`,
    )
  })

  it('completes configured registry names after --registry', async () => {
    const result = await runCli(['complete', '--', 'tags', 'list', '--registry', 'lo'], {env: cliEnv()})
    expect(lines(result.stdout)).to.deep.equal(['local'])
  })

  it('completes repositories of the registry a reference names, keeping the host as typed', async () => {
    const result = await runCli(['complete', '--', 'tags', 'list', `${env.registry.host}/team/`], {env: cliEnv()})
    expect(result.code, result.stderr).to.equal(0)
    expect(lines(result.stdout)).to.deep.equal([`${env.registry.host}/team/api`, `${env.registry.host}/team/web`])
  })

  it('completes tags after the colon, and repositories of --registry without a host', async () => {
    const tags = await runCli(['complete', '--', 'image', 'inspect', `${env.registry.host}/team/api:1`], {env: cliEnv()})
    expect(lines(tags.stdout)).to.deep.equal([`${env.registry.host}/team/api:1.0`, `${env.registry.host}/team/api:1.1`])
    const named = await runCli(['complete', '--', 'image', 'size', '-r', 'local', 'oth'], {env: cliEnv()})
    expect(lines(named.stdout)).to.deep.equal(['other/tool'])
  })

  it('answers from its on-disk cache for a while: a repository pushed since is not asked for', async () => {
    const first = await runCli(['complete', '--', 'tags', 'list', `${env.registry.host}/cached`], {env: cliEnv()})
    expect(lines(first.stdout)).to.deep.equal([])
    await pushImage(env.client, parseRepository(`${env.registry.host}/cached/new`), await buildImage({layers: [{'b.txt': 'b'}]}), 'v1')
    const again = await runCli(['complete', '--', 'tags', 'list', `${env.registry.host}/cached`], {env: cliEnv()})
    expect(lines(again.stdout)).to.deep.equal([])
    const fresh = await runCli(['complete', '--', 'tags', 'list', `${env.registry.host}/cached`], {
      env: {...cliEnv(), XDG_CACHE_HOME: join(home, 'other-cache')},
    })
    expect(lines(fresh.stdout)).to.deep.equal([`${env.registry.host}/cached/new`])
  })

  it('a registry that never answers costs its deadline, not a hang', async () => {
    // A TCP server that accepts and never replies: only a deadline ends the request.
    const silent: Server = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as {port: number}).port
      const started = Date.now()
      const result = await runCli(['complete', '--', 'tags', 'list', `127.0.0.1:${port}/team/`], {
        env: {...cliEnv(), REGLENS_COMPLETION_TIMEOUT: '0.3'},
      })
      expect(result.code).to.equal(0)
      expect(result.stdout).to.equal('')
      // Start-up included; without the deadline the request would wait for undici's 60 s timeout.
      expect(Date.now() - started).to.be.lessThan(10_000)
    } finally {
      silent.close()
    }
  })

  it('reglens autocomplete adds live completion to the bash script, which completes tags through it', async () => {
    const result = await runCli(['autocomplete', 'bash'], {env: cliEnv()})
    expect(result.code, result.stderr).to.equal(0)
    const script = join(cacheHome, 'reglens', 'autocomplete', 'functions', 'bash', 'reglens.bash')
    expect(readFileSync(script, 'utf8')).to.contain('_reglens_live_autocomplete')
    expect(readFileSync(join(cacheHome, 'reglens', 'autocomplete', 'functions', 'zsh', '_reglens'), 'utf8')).to.match(
      /_reglens_static\(\) \{[\s\S]*reglens complete --/,
    )
    // bash as a shell runs a completion function: COMP_LINE up to the cursor, then COMPREPLY.
    const binDir = join(home, 'bin')
    mkdirSync(binDir, {recursive: true})
    symlinkSync(BIN, join(binDir, 'reglens'))
    const line = `reglens tags list ${env.registry.host}/team/api:l`
    const bash = spawnSync(
      'bash',
      [
        '-c',
        `source "${script}"; COMP_LINE="${line}"; COMP_POINT=${line.length}; _reglens_live_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {
        encoding: 'utf8',
        env: {PATH: `${binDir}:${process.env.PATH}`, HOME: home, ...cliEnv(), COMP_WORDBREAKS: ' \t\n"\'><=;|&(:'},
      },
    )
    expect(bash.status, bash.stderr).to.equal(0)
    // bash breaks words at colons, so the reply holds what follows the last colon of the word.
    expect(lines(bash.stdout)).to.deep.equal(['latest'])
  })

  describe('in a real zsh, through its completion system', () => {
    // An interactive zsh in a pseudo-terminal (zsh's own zpty module) loads the setup `reglens autocomplete`
    // writes (fpath + compinit), gets the line and a TAB, then Enter: `reglens` there is a shell function
    // that prints the completed line (and hands `reglens complete` to the real CLI).
    const ZSH = '/usr/bin/zsh'
    const DRIVER = `
      zmodload zsh/zpty
      zpty -b shell zsh -f -i
      zpty -w shell 'PS1="%% "; source "$REGLENS_AC_ZSH_SETUP_PATH"'
      zpty -w shell 'reglens() { if [[ $1 == complete ]]; then command reglens "$@"; else print -r -- "LI""NE<$*>"; fi }'
      zpty -w -n shell "$TYPED"$'\\t\\r'
      zpty -r -m shell out '*LINE<*>*'
      print -r -- "\${\${out##*LINE<}%%>*}"
      zpty -d shell
    `

    /** The command line after zsh completed `typed` at its end, without `reglens `. */
    function completeInZsh(typed: string, env: Record<string, string> = {}): {line: string; ms: number} {
      if (!existsSync(ZSH)) throw new Error(`zsh is missing; install it with: sudo apt-get install -y zsh`)
      const binDir = join(home, 'zsh-bin')
      if (!existsSync(join(binDir, 'reglens'))) {
        mkdirSync(binDir, {recursive: true})
        symlinkSync(BIN, join(binDir, 'reglens'))
      }
      const started = Date.now()
      const result = spawnSync(ZSH, ['-f', '-c', DRIVER], {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: `${binDir}:${process.env.PATH}`,
          HOME: home,
          TERM: 'dumb',
          ...cliEnv(),
          REGLENS_AC_ZSH_SETUP_PATH: join(cacheHome, 'reglens', 'autocomplete', 'zsh_setup'),
          TYPED: typed,
          ...env,
        },
      })
      expect(result.status, `zsh: ${result.stderr}${result.error ?? ''}`).to.equal(0)
      return {line: result.stdout.trim(), ms: Date.now() - started}
    }

    before(async () => {
      const result = await runCli(['autocomplete', 'zsh'], {env: cliEnv()})
      expect(result.code, result.stderr).to.equal(0)
    })

    it('completes a configured registry name', () => {
      expect(completeInZsh('reglens tags list --registry lo').line).to.equal('tags list --registry local')
    })

    it('completes a repository and a tag from the registry', () => {
      expect(completeInZsh(`reglens tags list ${env.registry.host}/team/w`).line).to.equal(`tags list ${env.registry.host}/team/web`)
      expect(completeInZsh(`reglens image inspect ${env.registry.host}/team/api:la`).line).to.equal(
        `image inspect ${env.registry.host}/team/api:latest`,
      )
    })

    it('falls back to the static completion (commands) where live completion has nothing', () => {
      expect(completeInZsh('reglens tag').line).to.equal('tags')
    })

    it('a registry that never answers leaves the line as typed after the deadline', async () => {
      const silent: Server = createServer(() => undefined)
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      try {
        const typed = `reglens tags list 127.0.0.1:${(silent.address() as {port: number}).port}/team/`
        const {line, ms} = completeInZsh(typed, {REGLENS_COMPLETION_TIMEOUT: '0.3'})
        expect(line).to.equal(typed.slice('reglens '.length))
        // zsh's start-up and compinit included; without the deadline this would wait for undici's timeouts.
        expect(ms).to.be.lessThan(20_000)
      } finally {
        silent.close()
      }
    })
  })
})
