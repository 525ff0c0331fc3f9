import type {RegistryClient} from './client.js'
import {checkPageSize, DEFAULT_PAGE_SIZE, type ListOptions, paginate, stringList} from './pagination.js'
import {HINTS} from './hints.js'
import {catalogRequest} from './request.js'
import {RegistryError} from '../errors.js'

/** Streams every repository name of the registry's `_catalog`, page by page. */
export async function* listRepositories(client: RegistryClient, options: ListOptions = {}): AsyncGenerator<string> {
  const n = checkPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE)
  const context = `catalog of ${client.endpoint.host}`
  try {
    for await (const page of paginate(client, catalogRequest(n))) {
      yield* stringList(page, 'repositories', context)
    }
  } catch (error) {
    throw explainCatalogError(error, client.endpoint.host)
  }
}

/** Docker Hub has no catalog; Harbor and others keep it for admins. Say so instead of a bare 404/401. */
function explainCatalogError(error: unknown, host: string): unknown {
  if (!(error instanceof RegistryError)) return error
  const details = {...error.details, hint: 'noCatalog' as const}
  if (error.kind === 'notFound' || error.kind === 'unsupported') {
    return new RegistryError(
      `${host} offers no repository catalog (Docker Hub and some hosted registries do not); ${HINTS.noCatalog}`,
      'unsupported',
      details,
    )
  }
  if (error.kind === 'unauthorized' || error.kind === 'denied') {
    // Keep which credentials were tried (none, or rejected ones): the catalog hint alone would hide a wrong password.
    return new RegistryError(
      `${error.message}; the catalog may be restricted (Harbor and GitLab allow it to admins only): use an admin account or ${HINTS.noCatalog}`,
      error.kind,
      details,
    )
  }
  return error
}
