/** RFC 5988 `Link` headers, as registries use them to page `_catalog` and `tags/list`. */

export interface Link {
  url: string
  rel: string
}

/** Parses `<url>; rel="next", <url2>; rel=prev`; tolerant of spacing and unquoted rel values. */
export function parseLinkHeader(value: string | undefined): Link[] {
  if (!value) return []
  const links: Link[] = []
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g
  for (const match of value.matchAll(pattern)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2])
    if (rel) for (const name of rel[1].trim().split(/\s+/)) links.push({url: match[1].trim(), rel: name.toLowerCase()})
  }
  return links
}

/** The absolute URL of the next page, resolving relative links against the page that carried them. */
export function nextPageUrl(linkHeader: string | undefined, currentUrl: string): string | undefined {
  const next = parseLinkHeader(linkHeader).find((link) => link.rel === 'next')
  return next ? new URL(next.url, currentUrl).toString() : undefined
}

/** Registry 2.8 rejects a page size above 1000 with PAGINATION_NUMBER_INVALID. */
export const MAX_PAGE_SIZE = 1000
