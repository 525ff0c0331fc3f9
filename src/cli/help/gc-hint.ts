/** `gc-hint --help`: what it tells and how to use it (the flags are in the command). */
export const description = `What registry garbage collection would free, and how to run it (docs/gc.md).

Over the API: whether deletion is enabled, the exact bytes GC frees once a cleanup plan has run (blobs only the plan's deleted manifests reference, across every repository), and the GC commands for common deployments. On the registry host, --storage reads the filesystem storage read-only and lists exactly the blobs \`registry garbage-collect\` would delete.`

export const examples = [
  {
    description: 'Bytes a saved cleanup plan will free, and how to run GC',
    command: '<%= config.bin %> <%= command.id %> --registry localhost:5000 --plan plan.json',
  },
  {
    description: 'On the registry host: exactly what garbage-collect would delete',
    command: 'sudo <%= config.bin %> <%= command.id %> --storage /var/lib/registry',
  },
  {
    description: 'The same with --delete-untagged semantics, as JSON',
    command: '<%= config.bin %> <%= command.id %> --storage /var/lib/docker-registry --delete-untagged --json',
  },
]
