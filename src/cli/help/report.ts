/** `report --help`: what the report holds and examples (the flags are in the command). */
export const description = `Registry usage in one pass: a self-contained HTML page, a Prometheus textfile and a JSON document.

Sizes every repository exactly as \`repos list --size\` does (the same manifest requests, each digest once, plus each distinct image config for its created date) and reports totals (repositories, tags, images, unique bytes, bytes shared between repositories), each repository's size, tags and images, bytes by image age (older than 30, 90, 365 days), the largest images, stored scan results per image, and with --policy what a cleanup would free per repository. Untagged manifests cannot be listed through the registry API: --storage reads them from the registry's filesystem storage on its host. Files are written whole (a temp file renamed over the target). See docs/report.md.`

export const examples = [
  {
    description: "A page to publish as a CI artifact and a file for node_exporter's textfile collector",
    command:
      '<%= config.bin %> <%= command.id %> --registry localhost:5000 --html report.html --prometheus /var/lib/node_exporter/textfile/reglens.prom',
  },
  {
    description: 'What a cleanup policy would free, per repository',
    command: '<%= config.bin %> <%= command.id %> -r prod --policy cleanup.yaml --html report.html',
  },
  {
    description: 'The whole report as JSON: the ten largest repositories',
    command: "<%= config.bin %> <%= command.id %> -r localhost:5000 --json | jq '.repositories[:10][] | {name, size}'",
  },
  {
    description: 'Scan every image without a stored scan result, then report',
    command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --scan --scanner builtin --html report.html',
  },
  {
    description: 'On the registry host: include untagged manifests',
    command: '<%= config.bin %> <%= command.id %> -r localhost:5000 --storage /var/lib/docker-registry --html report.html',
  },
]
