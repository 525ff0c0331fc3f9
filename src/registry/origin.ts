import {RegistryError} from '../errors.js'

/**
 * URLs a registry hands back (a next-page `Link`, an upload `Location`) are resolved against the
 * request that carried them and must stay on the registry's own origin (scheme, host, port): the
 * client sends the registry's credentials with every request, so a URL elsewhere would leak them.
 */
export function sameOriginUrl(handedBack: string, base: string, registryUrl: string, what: string): string {
  let resolved: URL
  try {
    resolved = new URL(handedBack, base)
  } catch {
    throw new RegistryError(`${new URL(registryUrl).host} sent an invalid ${what} (${handedBack.slice(0, 200)})`, 'badResponse')
  }
  if (!isSameOrigin(resolved.href, registryUrl)) {
    throw new RegistryError(
      `${new URL(registryUrl).host} sent a ${what} on another origin (${resolved.origin}); not followed, to keep its credentials from leaving the registry`,
      'badResponse',
    )
  }
  return resolved.href
}

/** Same scheme, host and port (default ports normalised, as `URL.origin` does). */
export function isSameOrigin(url: string, registryUrl: string): boolean {
  return new URL(url).origin === new URL(registryUrl).origin
}
