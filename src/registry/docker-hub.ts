/**
 * Docker Hub's names, in one place: the name users write, the host its API is served from, and the key
 * Docker's own config.json and credential helpers use for it.
 */
export const DOCKER_HUB = 'docker.io'
/** Docker Hub's API lives on another host than its name. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io'
/** The key Docker itself uses for Docker Hub in `auths` and when asking helpers. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/'

const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API_HOST])

export function isDockerHub(host: string): boolean {
  return DOCKER_HUB_ALIASES.has(host)
}

/** The registry name users write for a host: Docker Hub's aliases become `docker.io`, other hosts stay. */
export function canonicalRegistry(host: string): string {
  return isDockerHub(host) ? DOCKER_HUB : host
}
