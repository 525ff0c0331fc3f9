import type {Credential, CredentialSource} from './types.js'

/** Fixed credentials for every registry asked about (the `--username`/`--password-stdin` flags, library callers). */
export function staticCredentials(
  source: string,
  credential: Omit<Credential, 'source'> | (() => Promise<Omit<Credential, 'source'>>),
): CredentialSource {
  let resolved: Promise<Credential> | undefined
  return {
    name: source,
    async lookup() {
      resolved ??= (typeof credential === 'function' ? credential() : Promise.resolve(credential)).then((value) => ({...value, source}))
      return resolved
    },
  }
}
