import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Hook} from '@oclif/core/hooks'

/**
 * oclif's autocomplete plugin writes static completion scripts (commands and flags). After
 * `reglens autocomplete` (re)writes them, this adds live completion of registry names, repositories
 * and tags: the scripts ask `reglens complete`, stopped by `timeout` after $REGLENS_COMPLETION_TIMEOUT
 * seconds (0.3 by default: a slow machine may need more), and fall back to
 * the static completion when it has nothing to offer.
 */

const MARK = '# reglens live completion'

/** Bash: words read from COMP_LINE (bash splits `host:5000/repo:tag` at each colon), replies trimmed back. */
function bashLive(bin: string): string {
  return `
${MARK}
_${bin}_live_autocomplete()
{
  local line="\${COMP_LINE:0:COMP_POINT}" words=() live cur
  read -r -a words <<< "$line"
  [[ "$line" == *[[:space:]] ]] && words+=("")
  cur="\${words[\${#words[@]}-1]}"
  if [[ \${#words[@]} -ge 3 && "$cur" != -* ]]; then
    if command -v timeout >/dev/null; then
      live=$(timeout "\${REGLENS_COMPLETION_TIMEOUT:-0.3}" ${bin} complete -- "\${words[@]:1}" 2>/dev/null </dev/null)
    else
      live=$(${bin} complete -- "\${words[@]:1}" 2>/dev/null </dev/null)
    fi
    if [[ -n "$live" ]]; then
      local strip="" candidate
      [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]] && strip="\${cur%"\${cur##*:}"}"
      COMPREPLY=()
      while IFS= read -r candidate; do COMPREPLY+=("\${candidate#"$strip"}"); done <<< "$live"
      return 0
    fi
  fi
  _${bin}_autocomplete
}
complete -o default -F _${bin}_live_autocomplete ${bin}
`
}

/** Zsh: the plugin's function becomes _BIN_static; _BIN asks for live candidates first. */
function zshLive(bin: string): string {
  return `
${MARK}
_${bin}() {
  if (( CURRENT > 2 )) && [[ "\${words[CURRENT]}" != -* ]]; then
    local -a live
    live=("\${(@f)$(timeout "\${REGLENS_COMPLETION_TIMEOUT:-0.3}" ${bin} complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null </dev/null)}")
    if [[ -n "\${live[1]}" ]]; then
      compadd -Q -S '' -- "\${live[@]}"
      return
    fi
  fi
  _${bin}_static "$@"
}

_${bin}
`
}

/** Adds live completion to the plugin's bash and zsh functions (once; a rewrite by the plugin starts over). */
export function addLiveCompletion(autocompleteDir: string, bin: string): void {
  const bash = join(autocompleteDir, 'functions', 'bash', `${bin}.bash`)
  const bashText = readFileSync(bash, 'utf8')
  if (!bashText.includes(MARK)) writeFileSync(bash, `${bashText.trimEnd()}\n${bashLive(bin)}`)
  const zsh = join(autocompleteDir, 'functions', 'zsh', `_${bin}`)
  const zshText = readFileSync(zsh, 'utf8')
  if (zshText.includes(MARK)) return
  const staticName = new RegExp(`^_${bin}\\(\\) \\{$`, 'm')
  const lastCall = new RegExp(`\\n_${bin}\\s*$`)
  if (!staticName.test(zshText) || !lastCall.test(zshText)) return
  writeFileSync(zsh, zshText.replace(staticName, `_${bin}_static() {`).replace(lastCall, '\n') + zshLive(bin))
}

const hook: Hook<'postrun'> = async function (options) {
  if (options.Command.id !== 'autocomplete') return
  try {
    addLiveCompletion(join(this.config.cacheDir, 'autocomplete'), this.config.bin)
  } catch (error) {
    process.stderr.write(`reglens: live completion not added: ${(error as Error).message}\n`)
  }
}

export default hook
