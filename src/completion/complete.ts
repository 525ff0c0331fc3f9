import type {CompletionCache} from './cache.js'
import {type CompletionRequest, splitTyped} from './request.js'
import type {Config} from '../config/config.js'
import {defaultEndpoint, resolveRegistry} from '../config/resolve.js'
import type {RegistryEndpoint} from '../registry/endpoint.js'
import {DOCKER_HUB, parseRepository, type Repository} from '../registry/reference.js'

export interface CompleteOptions {
  config: Config
  env: NodeJS.ProcessEnv
  cache: CompletionCache
  /** Lists a registry's repositories (no repository given) or a repository's tags. */
  list: (endpoint: RegistryEndpoint, repository?: Repository) => Promise<string[]>
  /** Time left for the registry to answer; past it, the cached names (even stale) or none. */
  budgetMs: number
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('completion deadline')), Math.max(0, ms))
    timer.unref()
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

/** Fresh cached names, else the registry's answer within the budget (then cached), else stale names. */
async function names(key: string, fetch: () => Promise<string[]>, options: CompleteOptions): Promise<string[]> {
  const cached = options.cache.read(key)
  if (cached?.fresh) return cached.names
  try {
    const listed = await within(fetch(), options.budgetMs)
    options.cache.write(key, listed)
    return listed
  } catch {
    return cached?.names ?? []
  }
}

/** The registry a typed reference names (its host, else --registry / REGLENS_REGISTRY / the config default). */
function endpointFor(
  host: string | undefined,
  request: Extract<CompletionRequest, {kind: 'reference'}>,
  options: CompleteOptions,
): RegistryEndpoint | undefined {
  try {
    if (host) return resolveRegistry({config: options.config, registry: host})
    const registry = request.registry ?? options.env.REGLENS_REGISTRY
    return defaultEndpoint({config: options.config, ...(registry ? {registry} : {})})
  } catch {
    return undefined
  }
}

/**
 * Candidates for the word being completed: configured registry names, or repositories and tags of
 * the registry the word names. Docker Hub has no catalog, so references there are not completed.
 */
export async function complete(request: CompletionRequest, options: CompleteOptions): Promise<string[]> {
  if (request.kind === 'registry')
    return Object.keys(options.config.registries)
      .filter((name) => name.startsWith(request.prefix))
      .sort()
  const typed = splitTyped(request.prefix)
  const endpoint = endpointFor(typed.host, request, options)
  if (!endpoint || endpoint.host === DOCKER_HUB) return []
  const typedHost = typed.host ? `${typed.host}/` : ''
  if (typed.tag === undefined) {
    const repositories = await names(`${endpoint.url}\ncatalog`, () => options.list(endpoint), options)
    return repositories
      .filter((name) => name.startsWith(typed.repository))
      .sort()
      .map((name) => `${typedHost}${name}`)
  }
  let repository: Repository
  try {
    repository = parseRepository(`${endpoint.host}/${typed.repository}`)
  } catch {
    return []
  }
  const tagPrefix = typed.tag
  const tags = await names(`${endpoint.url}\ntags\n${repository.repository}`, () => options.list(endpoint, repository), options)
  return tags
    .filter((tag) => tag.startsWith(tagPrefix))
    .sort()
    .map((tag) => `${typedHost}${typed.repository}:${tag}`)
}
