import {header, type RegistryClient, type RegistryRequest} from './client.js'
import {nextPageUrl} from './pagination.js'
import type {HttpResponse} from './transport/http.js'
import {RegistryError} from '../errors.js'

/**
 * Follows `Link: rel="next"` from page to page, yielding each page's parsed body.
 * Pages are fetched one after another (each depends on the last), so memory holds one page at a time.
 */
export function paginate(client: RegistryClient, first: Omit<RegistryRequest, 'method'>): AsyncGenerator<unknown>
export function paginate(client: RegistryClient, first: Omit<RegistryRequest, 'method'> & {withResponse: true}): AsyncGenerator<{data: unknown; response: HttpResponse}>
export async function* paginate(client: RegistryClient, first: Omit<RegistryRequest, 'method'> & {withResponse?: boolean}): AsyncGenerator<unknown> {
  const {withResponse, ...request} = first
  let url: string | undefined = client.url(first.path)
  const origin = new URL(client.endpoint.url).origin
  const seen = new Set<string>()
  while (url) {
    if (seen.has(url)) throw new RegistryError(`${client.endpoint.host} sent a pagination loop (${first.subject.action})`, 'badResponse')
    // A next link elsewhere would carry this registry's credentials to another origin: refused.
    if (new URL(url).origin !== origin) throw new RegistryError(`${client.endpoint.host} sent a pagination link to another origin (${new URL(url).origin}, ${first.subject.action}); not followed`, 'badResponse')
    seen.add(url)
    const {data, response} = await client.json({...request, method: 'GET', path: url})
    yield withResponse ? {data, response} : data
    url = nextPageUrl(header(response, 'link'), url)
  }
}

/** Validates one listing page: `{<key>: string[] | null}`; anything else is a bad response. */
export function stringList(data: unknown, key: string, context: string): string[] {
  const value = (data as Record<string, unknown> | null)?.[key]
  if (value === null || value === undefined) return []
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new RegistryError(`${context}: "${key}" is not a list of strings`, 'badResponse')
  }
  return value
}
