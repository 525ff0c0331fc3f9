import {staticCredentials} from '../registry/credentials/static.js'
import type {CredentialSource} from '../registry/credentials/types.js'

/** How credentials given on the command line are named in error lines and in `registry test`. */
export const FLAGS_SOURCE = '--username/--password-stdin'

/** `--username NAME --password-stdin` as the keychain's first source; the password is read only when asked for. */
export function flagCredentials(username: string, password: () => Promise<string>): CredentialSource {
  return staticCredentials(FLAGS_SOURCE, async () => ({username, password: await password()}))
}
