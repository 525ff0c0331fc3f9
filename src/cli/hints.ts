import {type Hint, HINTS, type Setting, SETTINGS} from '../registry/hints.js'

/** On the command line, each library hint names the flags and commands that do it. */
const CLI_HINTS: Record<Hint, string> = {
  untrustedCertificate: 'pass --ca-cert FILE or, at your own risk, --insecure',
  noCredentials: 'log in (docker login), set REGLENS_USERNAME/REGLENS_PASSWORD, or run `reglens registry add`',
  noCatalog: 'name repositories directly (e.g. `reglens tags list HOST/REPO`)',
  plainHttpRealm: 'pass --insecure to allow it',
}

/** …and each setting the library names is the flag that sets it. */
const CLI_SETTINGS: Record<Setting, string> = {
  insecure: '--insecure',
  timeout: '--timeout',
}

/**
 * A failure line as the CLI prints it: the library's hints and settings in CLI terms. Applied to lines
 * rather than error objects because messages nest (a catalog error quotes the token error) and reach
 * stderr through per-item failure lines as well as the error handler.
 */
export function withCliHints(line: string): string {
  let result = line
  for (const hint of Object.keys(HINTS) as Hint[]) result = result.replaceAll(HINTS[hint], CLI_HINTS[hint])
  for (const setting of Object.keys(SETTINGS) as Setting[]) result = result.replaceAll(SETTINGS[setting], CLI_SETTINGS[setting])
  return result
}
