/**
 * How to run garbage collection on the common deployments of the CNCF registry. GC must not race
 * pushes (a blob uploaded mid-run can be swept): stop the registry or make it read-only first.
 */

export const CONFIG_PATH = '/etc/docker/registry/config.yml'

export interface GcRecipe {
  deployment: string
  steps: string[]
}

export function gcRecipes(options: {deleteUntagged?: boolean} = {}): GcRecipe[] {
  const flag = options.deleteUntagged ? ' --delete-untagged' : ''
  const gc = (prefix: string) => [
    `${prefix} garbage-collect --dry-run${flag} ${CONFIG_PATH}`,
    `${prefix} garbage-collect${flag} ${CONFIG_PATH}`,
  ]
  const readOnly = `REGISTRY_STORAGE_MAINTENANCE_READONLY='{"enabled": true}'`
  return [
    {
      deployment: 'docker (container "registry", image registry:2)',
      steps: [
        `# make it read-only: add storage.maintenance.readonly.enabled: true to ${CONFIG_PATH} (or recreate the container with -e ${readOnly}), then: docker restart registry`,
        ...gc('docker exec registry bin/registry'),
        '# remove the read-only setting, then: docker restart registry',
      ],
    },
    {
      deployment: 'docker compose (service "registry")',
      steps: [
        `# set ${readOnly} in the service's environment, then: docker compose up -d registry`,
        ...gc('docker compose exec registry bin/registry'),
        '# remove it again, then: docker compose up -d registry',
      ],
    },
    {
      deployment: 'kubernetes (deployment "registry")',
      steps: [
        `kubectl set env deploy/registry 'REGISTRY_STORAGE_MAINTENANCE_READONLY={"enabled":true}' && kubectl rollout status deploy/registry`,
        ...gc('kubectl exec deploy/registry -- bin/registry'),
        'kubectl set env deploy/registry REGISTRY_STORAGE_MAINTENANCE_READONLY- && kubectl rollout status deploy/registry',
      ],
    },
    {
      deployment: 'bare binary (Debian/Ubuntu package docker-registry; its storage is /var/lib/docker-registry)',
      steps: [
        'sudo systemctl stop docker-registry',
        ...gc('sudo -u docker-registry docker-registry'),
        'sudo systemctl start docker-registry',
      ],
    },
  ]
}

/** Registry 2.x's --delete-untagged deletes the untagged platform manifests of every multi-arch index. */
export const DELETE_UNTAGGED_WARNING =
  'registry 2.x `garbage-collect --delete-untagged` also deletes the untagged platform manifests (and their layers) of every multi-arch index, breaking those images; do not use it while the registry holds indexes'
