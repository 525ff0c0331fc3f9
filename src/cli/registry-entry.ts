import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import type {RegistryEntry} from '../config/config.js'
import {UsageError} from '../errors.js'
import {endpointFromUrl, type RegistryEndpoint} from '../registry/endpoint.js'

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

/** The flags of `registry add` that make up the saved entry. */
export interface RegistryAddFlags {
  username?: string | undefined
  'password-env'?: string | undefined
  'password-file'?: string | undefined
  insecure: boolean
  'ca-cert'?: string | undefined
  'client-cert'?: string | undefined
  'client-key'?: string | undefined
}

/**
 * `registry add NAME URL` and its flags as the config entry to save, checked first: the name, the
 * password source, and that every file named exists (stored as an absolute path).
 */
export function registryEntry(name: string, url: string, flags: RegistryAddFlags): {endpoint: RegistryEndpoint; entry: RegistryEntry} {
  if (!NAME.test(name) || name === 'localhost')
    throw new UsageError(`invalid registry name "${name}": use letters, digits, - and _ (a name with a dot or colon would read as a host)`)
  const endpoint = endpointFromUrl(url)
  if ((flags['password-env'] || flags['password-file']) && !flags.username)
    throw new UsageError('--password-env/--password-file need --username')
  if (flags['password-env'] && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags['password-env']))
    throw new UsageError(`--password-env: "${flags['password-env']}" is not an environment variable name`)
  const file = (path: string | undefined, flag: string) => {
    if (path === undefined) return undefined
    const absolute = resolve(path)
    if (!existsSync(absolute)) throw new UsageError(`--${flag}: ${absolute} does not exist`)
    return absolute
  }
  const caCert = file(flags['ca-cert'], 'ca-cert')
  const clientCert = file(flags['client-cert'], 'client-cert')
  const clientKey = file(flags['client-key'], 'client-key')
  const passwordFile = file(flags['password-file'], 'password-file')
  const entry: RegistryEntry = {
    url: /^[a-z]+:\/\//i.test(url) ? url.replace(/\/+$/, '') : endpoint.url,
    ...(flags.username ? {username: flags.username} : {}),
    ...(flags['password-env'] ? {password_env: flags['password-env']} : {}),
    ...(passwordFile ? {password_file: passwordFile} : {}),
    ...(flags.insecure ? {insecure: true} : {}),
    ...(caCert ? {ca_cert: caCert} : {}),
    ...(clientCert ? {client_cert: clientCert} : {}),
    ...(clientKey ? {client_key: clientKey} : {}),
  }
  return {endpoint, entry}
}
