import type {ChalkInstance} from 'chalk'

import {failureLine} from './failure-line.js'
import {formatBytes} from './bytes.js'
import type {Listing} from './listing.js'
import type {Progress} from './progress.js'
import {shortDigest} from './digest.js'
import {renderFields, renderTable} from './table.js'
import type {ImageInspection, InspectedPlatform} from '../image/inspect.js'
import type {ReferrerDescription} from '../image/referrers.js'
import {formatPlatform} from '../image/platform.js'
import type {ImageSummary} from '../image/summary.js'
import type {SizeTally} from '../image/size.js'
import type {TagSummary} from '../image/tags.js'

/** Human views of images. JSON output never comes through here. */

function sizeText(bytes: number, exact: boolean): string {
  return exact ? String(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`
}

function list(values: string[] | undefined): string | undefined {
  return values === undefined ? undefined : JSON.stringify(values)
}

function platformDetails(platform: InspectedPlatform, chalk: ChalkInstance, exact: boolean): string {
  const image = platform.image
  const label = (text: string) => chalk.bold(text)
  const fields = renderFields(
    [
      ['Platform', formatPlatform(platform.platform)],
      ['Manifest', `${platform.digest} (${platform.mediaType})`],
      ['Config', `${platform.config.digest} (${platform.config.mediaType}, ${formatBytes(platform.config.size)})`],
      ['Size', sizeText(platform.size, exact)],
      ['Created', image?.created],
      ['Author', image?.author],
      ['OS/Arch', image ? [image.os, image.architecture, image.variant].filter(Boolean).join('/') : undefined],
      ['User', image?.user],
      ['WorkingDir', image?.workingDir],
      ['Entrypoint', list(image?.entrypoint)],
      ['Cmd', list(image?.cmd)],
      ['Env', image?.env?.join('\n')],
      [
        'Labels',
        image?.labels
          ? Object.entries(image.labels)
              .map(([key, value]) => `${key}=${value}`)
              .join('\n')
          : undefined,
      ],
      ['Ports', image?.exposedPorts?.join(', ')],
      ['Volumes', image?.volumes?.join(', ')],
      ['Artifact type', platform.artifactType],
    ],
    {label},
  )
  const layers = renderTable(
    platform.layers.map((layer, index) => ({index, layer})),
    [
      {header: '#', value: (row) => String(row.index), align: 'right'},
      {header: 'LAYER', value: (row) => row.layer.digest},
      {header: 'MEDIA TYPE', value: (row) => row.layer.mediaType},
      {header: 'SIZE', value: (row) => formatBytes(row.layer.size, {exact}), align: 'right'},
    ],
    {head: chalk.bold},
  )
  const history =
    image && image.history.length > 0
      ? renderTable(
          image.history,
          [
            {header: 'CREATED', value: (entry) => entry.created ?? '-'},
            {header: 'LAYER', value: (entry) => (entry.emptyLayer ? '(empty layer)' : entry.layer ? shortDigest(entry.layer) : '-')},
            {header: 'CREATED BY', value: (entry) => (entry.createdBy ?? entry.comment ?? '').replace(/\s+/g, ' ').slice(0, 100)},
          ],
          {head: chalk.bold},
        )
      : undefined
  return [fields, layers, history].filter(Boolean).join('\n\n')
}

/** Referrers depth first, each under the one it refers to. */
function flattenReferrers(referrers: ReferrerDescription[], depth = 0): {referrer: ReferrerDescription; depth: number}[] {
  return referrers.flatMap((referrer) => [{referrer, depth}, ...flattenReferrers(referrer.referrers, depth + 1)])
}

export function renderInspection(inspection: ImageInspection, chalk: ChalkInstance, options: {exact: boolean}): string {
  const label = (text: string) => chalk.bold(text)
  const head = renderFields(
    [
      [
        'Reference',
        `${inspection.registry}/${inspection.repository}${inspection.reference.includes(':') ? '@' : ':'}${inspection.reference}`,
      ],
      ['Digest', inspection.digest],
      ['Media type', inspection.mediaType],
      ['Kind', inspection.kind],
      ['Platform', inspection.content?.platform ? formatPlatform(inspection.content.platform) : undefined],
      ['Artifact type', inspection.artifactType],
      ['Created', inspection.created],
      ['Size', `${sizeText(inspection.size, options.exact)}${inspection.platforms.length > 1 ? ', distinct blobs of all platforms' : ''}`],
    ],
    {label},
  )
  const sections = [head]
  if (inspection.content) {
    sections.push(
      renderTable(
        [
          ...(inspection.content.config ? [{blob: inspection.content.config, role: 'config'}] : []),
          ...inspection.content.layers.map((blob, index) => ({blob, role: `layer ${index}`})),
        ],
        [
          {header: 'BLOB', value: (row) => row.role},
          {header: 'DIGEST', value: (row) => row.blob.digest},
          {header: 'MEDIA TYPE', value: (row) => row.blob.mediaType},
          {header: 'SIZE', value: (row) => formatBytes(row.blob.size, {exact: options.exact}), align: 'right'},
        ],
        {head: chalk.bold},
      ),
    )
  }
  if (inspection.kind === 'index') {
    sections.push(
      renderTable(
        inspection.platforms,
        [
          {header: 'PLATFORM', value: (entry) => formatPlatform(entry.platform)},
          {header: 'DIGEST', value: (entry) => entry.digest},
          {header: 'CREATED', value: (entry) => entry.created ?? '-'},
          {header: 'SIZE', value: (entry) => formatBytes(entry.size, {exact: options.exact}), align: 'right'},
        ],
        {head: chalk.bold},
      ),
    )
  }
  if (inspection.attestations.length > 0) {
    sections.push(
      renderTable(
        inspection.attestations,
        [
          {header: 'ATTESTATION', value: (entry) => entry.digest},
          {header: 'FOR', value: (entry) => entry.annotations?.['vnd.docker.reference.digest'] ?? '-'},
          {header: 'MANIFEST SIZE', value: (entry) => formatBytes(entry.size, {exact: options.exact}), align: 'right'},
        ],
        {head: chalk.bold},
      ),
    )
  }
  if (inspection.referrers.length > 0) {
    sections.push(
      renderTable(
        flattenReferrers(inspection.referrers),
        [
          {header: 'REFERRER', value: (row) => `${'  '.repeat(row.depth)}${row.referrer.kind}`},
          {header: 'DIGEST', value: (row) => row.referrer.digest},
          {header: 'ARTIFACT TYPE', value: (row) => row.referrer.artifactType ?? '-'},
          {header: 'TAG', value: (row) => row.referrer.tag ?? '-'},
          {header: 'CREATED', value: (row) => row.referrer.created ?? '-'},
          {header: 'SIZE', value: (row) => formatBytes(row.referrer.size, {exact: options.exact}), align: 'right'},
          {header: 'FOUND BY', value: (row) => row.referrer.method},
        ],
        {head: chalk.bold},
      ),
    )
  }
  if (inspection.platforms.length === 1) sections.push(platformDetails(inspection.platforms[0], chalk, options.exact))
  return sections.join('\n\n')
}

/** One row per platform (an artifact is one row), for `image size` and `tags list --details`. */
export interface SizeRow {
  tag?: string
  platform: string
  digest: string
  created: string
  size: number
}

/** The size table of one image (per platform) or of every tag (`withTag`), with a TOTAL row when given. */
export function sizeTable(
  rows: SizeRow[],
  options: {withTag: boolean; total: number | undefined; exact: boolean; chalk: ChalkInstance},
): string {
  const {withTag, total, exact} = options
  const all = total === undefined ? rows : [...rows, sizeTotalRow(total, withTag)]
  return renderTable(
    all,
    [
      ...(withTag ? [{header: 'TAG', value: (row: SizeRow) => row.tag ?? ''}] : []),
      {header: 'PLATFORM', value: (row) => row.platform},
      {header: 'DIGEST', value: (row) => (row.digest ? shortDigest(row.digest) : '')},
      {header: 'SIZE', value: (row) => formatBytes(row.size, {exact}), align: 'right'},
    ],
    {head: options.chalk.bold},
  )
}

/** The TOTAL row: distinct blobs, each counted once across platforms (and tags). */
function sizeTotalRow(total: number, withTag: boolean): SizeRow {
  return {tag: 'TOTAL', platform: withTag ? '(distinct blobs)' : 'TOTAL (distinct blobs)', digest: '', created: '', size: total}
}

export function sizeRows(summary: ImageSummary, tag?: string): SizeRow[] {
  const base = tag === undefined ? {} : {tag}
  if (summary.platforms.length === 0)
    return [
      {
        ...base,
        platform: summary.placeholder
          ? 'reglens placeholder: left by an interrupted untag'
          : summary.kind === 'artifact'
            ? `artifact ${summary.artifactType ?? ''}`.trim()
            : '-',
        digest: summary.digest,
        created: summary.created ?? '-',
        size: summary.size,
      },
    ]
  return summary.platforms.map((platform) => ({
    ...base,
    platform: formatPlatform(platform),
    digest: platform.digest,
    created: platform.created ?? '-',
    size: platform.size,
  }))
}

/** `image size --all-tags`: each tag's platforms, then the repository's total of distinct blobs. */
export function tagSizeListing(
  where: {host: string; repository: string},
  tags: {count: number; tally: SizeTally},
  options: {exact: boolean; spinner: Progress},
): Listing<TagSummary, SizeRow> {
  return {
    head: {registry: where.host, repository: where.repository},
    key: 'tags',
    tail: () => ({size: tags.tally.total, blobs: tags.tally.blobs}),
    rows: (tag) => ('error' in tag ? [] : sizeRows(tag, tag.name)),
    footer: (rows) => (rows.length > 0 ? [sizeTotalRow(tags.tally.total, true)] : []),
    table: (rows, chalk) => sizeTable(rows, {withTag: true, total: undefined, exact: options.exact, chalk}),
    count: ({items, failures}) => `${items - failures} of ${tags.count} tags sized in ${where.host}/${where.repository}`,
    failures: (tag) => ('error' in tag ? [failureLine(tag.name, `${where.repository}:${tag.name}`, tag.error)] : []),
    progress: {spinner: options.spinner, text: (_tag, index) => `Sizing tags of ${where.repository}: ${index}/${tags.count}`},
  }
}
