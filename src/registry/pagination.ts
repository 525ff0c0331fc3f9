import LinkHeader from 'http-link-header'

import {header, type RegistryClient, type RegistryRequest} from './client.js'
import {sameOriginUrl} from './origin.js'
import type {HttpResponse} from './transport/http.js'
import {RegistryError, UsageError} from '../errors.js'

/** Paging of `_catalog` and `tags/list`: page size, RFC 8288 `Link` headers, and the walk from page to page. */

/** Registry 2.8 rejects a page size above 1000 with PAGINATION_NUMBER_INVALID. */
export const MAX_PAGE_SIZE = 1000
export const DEFAULT_PAGE_SIZE = 1000

export interface ListOptions {
  /** Entries per page, 1..1000. */
  pageSize?: number
}

export function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new UsageError(`page size must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${pageSize})`)
  }
  return pageSize
}

export interface Link {
  url: string
  rel: string
}

/** Parses `<url>; rel="next", <url2>; rel=prev` (quoted commas and extra parameters included); malformed → none. */
export function parseLinkHeader(value: string | undefined): Link[] {
  if (!value) return []
  try {
    return LinkHeader.parse(value).refs.flatMap((ref) =>
      ref.rel
        .toLowerCase()
        .split(/\s+/)
        .map((rel) => ({url: ref.uri, rel})),
    )
  } catch {
    return []
  }
}

/** The `rel="next"` target of a Link header, as sent (unresolved). */
export function nextPageLink(linkHeader: string | undefined): string | undefined {
  return parseLinkHeader(linkHeader).find((link) => link.rel === 'next')?.url
}

/**
 * Follows `Link: rel="next"` from page to page, yielding each page's parsed body. A next page on
 * another origin is refused (exit 12) before any request goes there. Pages are fetched one after
 * another (each depends on the last), so memory holds one page at a time.
 */
export function paginate(client: RegistryClient, first: Omit<RegistryRequest, 'method'>): AsyncGenerator<unknown>
/** With `withResponse`, each page comes with its response (for headers such as `OCI-Filters-Applied`). */
export function paginate(
  client: RegistryClient,
  first: Omit<RegistryRequest, 'method'> & {withResponse: true},
): AsyncGenerator<{data: unknown; response: HttpResponse}>
export async function* paginate(
  client: RegistryClient,
  first: Omit<RegistryRequest, 'method'> & {withResponse?: boolean},
): AsyncGenerator<unknown> {
  const {withResponse, ...request} = first
  let url: string | undefined = client.url(first.path)
  const seen = new Set<string>()
  while (url) {
    if (seen.has(url)) throw new RegistryError(`${client.endpoint.host} sent a pagination loop (${first.subject.action})`, 'badResponse')
    seen.add(url)
    const {data, response} = await client.json({...request, method: 'GET', path: url})
    yield withResponse ? {data, response} : data
    const next = nextPageLink(header(response, 'link'))
    url = next === undefined ? undefined : sameOriginUrl(next, url, client.endpoint.url, `next-page link (${first.subject.action})`)
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
