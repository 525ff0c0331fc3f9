/** What the word under the cursor can be completed to: a configured registry name, or a reference. */
export type CompletionRequest = {kind: 'registry'; prefix: string} | {kind: 'reference'; prefix: string; registry?: string; config?: string}

/** Commands whose arguments are references or repositories (the only live-completed arguments). */
const REFERENCE_COMMANDS: ReadonlySet<string> = new Set(['tags:list', 'image:inspect', 'image:size', 'image:delete', 'image:sbom', 'scan'])

/** Flags whose next word is their value (global and common command flags), so it is no argument. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-r',
  '--registry',
  '--config',
  '--ca-cert',
  '--username',
  '--concurrency',
  '--platform',
  '--filter',
  '--limit',
  '--sort',
  '--page-size',
  '--keep',
  '--keep-last',
  '--older-than',
  '--policy',
  '--plan',
  '--save-plan',
  '--scanner',
  '--fail-on',
  '--format',
  '--severity',
  '--db',
])

/** The command id (`tags:list`) and its arguments, from the words before the cursor. */
function commandOf(positionals: string[]): {id: string; args: string[]} | undefined {
  const [first, second] = positionals
  if (first === undefined) return undefined
  if (first.includes(':')) return {id: first, args: positionals.slice(1)}
  if (first === 'scan') return second === 'db' ? undefined : {id: 'scan', args: positionals.slice(1)}
  if (second === undefined) return undefined
  return {id: `${first}:${second}`, args: positionals.slice(2)}
}

/**
 * Reads the words of a command line after `reglens` (the last one is the word being completed) and
 * says what to complete, or undefined when it is nothing live (a command name, a flag, a file).
 */
export function completionRequest(words: string[]): CompletionRequest | undefined {
  if (words.length === 0) return undefined
  const current = words.at(-1) as string
  const before = words.slice(0, -1)
  const previous = before.at(-1)
  if (previous === '-r' || previous === '--registry') return {kind: 'registry', prefix: current}
  if (current.startsWith('-')) return undefined
  const positionals: string[] = []
  const values: Record<string, string> = {}
  for (let index = 0; index < before.length; index++) {
    const word = before[index]
    if (VALUE_FLAGS.has(word)) {
      values[word] = before[++index] ?? ''
      continue
    }
    const inline = /^(--[\w-]+)=(.*)$/.exec(word)
    if (inline) values[inline[1]] = inline[2]
    else if (!word.startsWith('-')) positionals.push(word)
  }
  const command = commandOf([...positionals, current])
  if (!command || !REFERENCE_COMMANDS.has(command.id) || command.args.length === 0) return undefined
  const registry = values['--registry'] ?? values['-r']
  return {kind: 'reference', prefix: current, ...(registry ? {registry} : {}), ...(values['--config'] ? {config: values['--config']} : {})}
}

/** How a typed reference splits: the host the user typed (with its `/`), the repository, and a tag prefix after `:`. */
export function splitTyped(prefix: string): {host?: string; repository: string; tag?: string} {
  const slash = prefix.indexOf('/')
  const first = slash === -1 ? '' : prefix.slice(0, slash)
  // As Docker reads references: a first component with a dot or a port, or `localhost`, is a host.
  const hasHost = slash !== -1 && (/[.:]/.test(first) || first === 'localhost')
  const rest = hasHost ? prefix.slice(slash + 1) : prefix
  const colon = rest.lastIndexOf(':')
  const repository = colon === -1 ? rest : rest.slice(0, colon)
  return {...(hasHost ? {host: first} : {}), repository, ...(colon === -1 ? {} : {tag: rest.slice(colon + 1)})}
}
