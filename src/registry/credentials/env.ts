import type {CredentialSource} from './types.js'
import {UsageError} from '../../errors.js'

export const ENV_SOURCE = 'REGLENS_USERNAME/REGLENS_PASSWORD'

/** `REGLENS_USERNAME` + `REGLENS_PASSWORD`, for every registry the command talks to. */
export function envCredentials(env: NodeJS.ProcessEnv = process.env): CredentialSource {
  return {
    name: ENV_SOURCE,
    async lookup() {
      const username = env.REGLENS_USERNAME
      const password = env.REGLENS_PASSWORD
      if (!username && !password) return undefined
      if (!username || !password)
        throw new UsageError(
          `${username ? 'REGLENS_PASSWORD' : 'REGLENS_USERNAME'} is not set: give both REGLENS_USERNAME and REGLENS_PASSWORD, or neither`,
        )
      return {username, password, source: ENV_SOURCE}
    },
  }
}
