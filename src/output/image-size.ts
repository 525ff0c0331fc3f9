import type {ChalkInstance} from 'chalk'

import {sizeRows, sizeTable} from './image.js'
import type {ImageSummary} from '../image/summary.js'

/**
 * `image size REF`: the JSON document (docs/json/image.md), or each platform's size with a TOTAL of
 * distinct blobs when there is more than one; the text ends with a newline.
 */
export function renderImageSize(
  image: {registry: string; repository: string; reference: string; summary: ImageSummary},
  options: {json: boolean; exact: boolean; chalk: ChalkInstance},
): string {
  const {summary} = image
  if (options.json)
    return `${JSON.stringify({registry: image.registry, repository: image.repository, reference: image.reference, ...summary}, null, 2)}\n`
  const rows = sizeRows(summary)
  const total = rows.length > 1 ? summary.size : undefined
  return `${sizeTable(rows, {withTag: false, total, exact: options.exact, chalk: options.chalk})}\n`
}
