/** `image size --help`: what it measures and examples (the flags are in the command). */
export const description = `Exact compressed size of an image: config + layers per platform, as stored in and pulled from the registry (the sum jq '([.layers[].size]|add)+.config.size' gives).

Sizes are printed in SI units: 1 kB = 1000 bytes, 1 MB = 10^6 bytes, 1 GB = 10^9 bytes; --bytes prints exact byte counts. The TOTAL line counts each distinct blob once (layers shared by platforms or tags are stored once). Attestation manifests are never counted as platforms. A --platform that matches nothing exits with code 8 and lists the available platforms.`

export const examples = [
  {
    description: 'Every platform of a multi-platform image',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0',
  },
  {
    description: 'Exact bytes of the arm64 image',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api:1.0 --platform linux/arm64 --bytes',
  },
  {
    description: 'Every tag of a repository, with its unique total',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags',
  },
  {
    description: 'The unique bytes of a repository, for a script',
    command: "<%= config.bin %> <%= command.id %> localhost:5000/team/app/api --all-tags --json | jq '.size'",
  },
]
