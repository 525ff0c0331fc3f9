/** `tags list --help`: what it shows and examples (the flags are in the command). */
export const description = `List the tags of a repository, following every page, sorted by name, semantic version or creation time.

With --details, each tag's digest, creation time (- when the config records none) and every platform with its exact compressed size (config + layers; kB/MB are SI units, 10^3/10^6 bytes). Each tag costs one GET (one HEAD on Docker Hub), and every other distinct manifest and config is fetched once. --sort created implies --details: newest first, undated tags last.
With --digest, the tags pointing at that manifest and the tags of indexes listing it: one request per tag, plus one per child index.
Referrer tags (cosign's sha256-<hex>.sig/.att/.sbom and the OCI fallback index sha256-<hex>) belong to the image they sign or describe, not images of their own: they are hidden, with a count on stderr, unless --show-referrers lists them (JSON rows then carry their subject digest).`

export const examples = [
  {description: 'Tags of a repository on a local registry', command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api'},
  {
    description: 'Release tags, newest version last, as JSON',
    command: "<%= config.bin %> <%= command.id %> team/app --registry prod --filter '^v' --sort semver --json | jq -r '.tags[].name'",
  },
  {
    description: 'The newest tag by creation time',
    command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app --sort created --json | jq -r '.tags[0].name'",
  },
  {
    description: 'Which tags point at a digest (directly or through a multi-platform index), with the request cost',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app --digest sha256:… --verbose',
  },
  {
    description: 'Digest, creation time and size of every platform of every tag',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --details',
  },
]
