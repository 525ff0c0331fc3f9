import type {RegistryReport} from '../report/model.js'

/**
 * A report as Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
 * collector: one HELP and one TYPE line per metric family, then its samples. Every sample carries
 * the `registry` label, so reports of several registries can sit side by side in one directory.
 */

/** Label values: backslash, double quote and line feed are escaped; everything else is literal UTF-8. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function labels(values: Record<string, string>): string {
  return `{${Object.entries(values)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',')}}`
}

interface Family {
  name: string
  help: string
  samples: {labels: Record<string, string>; value: number}[]
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`]
  for (const sample of family.samples) lines.push(`${family.name}${labels(sample.labels)} ${sample.value}`)
  return lines.join('\n')
}

export function renderPrometheus(report: RegistryReport): string {
  const registry = report.registry
  const perRepository = (value: (repository: RegistryReport['repositories'][number]) => number | null | undefined) =>
    report.repositories.flatMap((repository) => {
      const sample = value(repository)
      return sample === null || sample === undefined ? [] : [{labels: {registry, repository: repository.name}, value: sample}]
    })
  const families: Family[] = [
    {
      name: 'reglens_registry_bytes',
      help: 'Bytes of the distinct blobs (configs and layers) of every tag in the registry.',
      samples: [{labels: {registry}, value: report.totals.size}],
    },
    {
      name: 'reglens_registry_shared_bytes',
      help: 'Bytes of the blobs two or more repositories use, counted once.',
      samples: [{labels: {registry}, value: report.totals.sharedSize}],
    },
    {
      name: 'reglens_registry_repositories',
      help: 'Repositories in the catalog.',
      samples: [{labels: {registry}, value: report.totals.repositories}],
    },
    {
      name: 'reglens_registry_images',
      help: 'Distinct manifests tags point at.',
      samples: [{labels: {registry}, value: report.totals.images}],
    },
    {
      name: 'reglens_registry_older_than_bytes',
      help: 'Bytes of the blobs whose newest image was created more than older_than_days days ago.',
      samples: report.age.buckets.map((bucket) => ({
        labels: {registry, older_than_days: String(bucket.olderThanDays)},
        value: bucket.size,
      })),
    },
    {
      name: 'reglens_repository_bytes',
      help: 'Bytes of the distinct blobs of every tag of the repository (as repos list --size).',
      samples: perRepository((repository) => repository.size),
    },
    {name: 'reglens_repository_tags', help: 'Tags of the repository.', samples: perRepository((repository) => repository.tags)},
    {
      name: 'reglens_repository_images',
      help: "Distinct manifests the repository's tags point at.",
      samples: perRepository((repository) => repository.images),
    },
  ]
  if (report.cleanup) {
    families.push({
      name: 'reglens_repository_reclaimable_bytes',
      help: 'Bytes garbage collection would free once the cleanup policy has run on the repository.',
      samples: perRepository((repository) => repository.reclaimable),
    })
  }
  families.push({
    name: 'reglens_report_timestamp_seconds',
    help: 'When the report was generated, in seconds since the Unix epoch.',
    samples: [{labels: {registry}, value: Date.parse(report.generatedAt) / 1000}],
  })
  return `${families.map(renderFamily).join('\n')}\n`
}
