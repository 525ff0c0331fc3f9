import type {RegistryClient} from './client.js'
import {checkPageSize, DEFAULT_PAGE_SIZE, type ListOptions, paginate, stringList} from './pagination.js'
import type {Repository} from './reference.js'
import {repositoryRequest} from './request.js'

/**
 * Streams every tag of a repository, following `Link` pages. Registry 2.8 ignores `n` and answers in
 * one page; Harbor, GHCR, ECR and distribution 3 page. Order is the registry's: sort afterwards.
 */
export async function* listTags(client: RegistryClient, repository: Repository, options: ListOptions = {}): AsyncGenerator<string> {
  const n = checkPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE)
  for await (const page of paginate(client, repositoryRequest('GET', repository, {kind: 'tags', pageSize: n}))) {
    yield* stringList(page, 'tags', `tag list of ${client.endpoint.host}/${repository.repository}`)
  }
}
