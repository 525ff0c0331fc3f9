import LinkHeader from 'http-link-header'

/** RFC 8288 `Link` headers, as registries use them to page `_catalog` and `tags/list`. */

export interface Link {
  url: string
  rel: string
}

/** Parses `<url>; rel="next", <url2>; rel=prev` (quoted commas and extra parameters included); malformed → none. */
export function parseLinkHeader(value: string | undefined): Link[] {
  if (!value) return []
  try {
    return LinkHeader.parse(value).refs.flatMap((ref) => ref.rel.toLowerCase().split(/\s+/).map((rel) => ({url: ref.uri, rel})))
  } catch {
    return []
  }
}

/** The absolute URL of the next page, resolving relative links against the page that carried them. */
export function nextPageUrl(linkHeader: string | undefined, currentUrl: string): string | undefined {
  const next = parseLinkHeader(linkHeader).find((link) => link.rel === 'next')
  return next ? new URL(next.url, currentUrl).toString() : undefined
}

/** Registry 2.8 rejects a page size above 1000 with PAGINATION_NUMBER_INVALID. */
export const MAX_PAGE_SIZE = 1000
