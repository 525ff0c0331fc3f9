import type {LayerChanges} from './layer.js'
import {IMAGE_LIMITS} from './limits.js'

/**
 * The image-wide share of the inventory's bounds: each layer's changes count against it as they
 * arrive (from the registry or the cache); a layer that does not fit is dropped whole, with the reason,
 * so that an image of many large layers is as bounded as one layer.
 */
export class ImageBudget {
  private recordFiles = 0
  private records = 0
  private whiteouts = 0

  admit(changes: LayerChanges): LayerChanges {
    const files = Object.values(changes.files)
    const recordFiles = this.recordFiles + files.length + Object.keys(changes.symlinks).length
    const records = this.records + files.reduce((sum, file) => sum + (file.kind === 'packages' ? file.records.length : 0), 0)
    const whiteouts = this.whiteouts + changes.whiteouts.length + changes.opaque.length
    const over =
      recordFiles > IMAGE_LIMITS.recordFiles
        ? `${IMAGE_LIMITS.recordFiles} package record files`
        : records > IMAGE_LIMITS.records
          ? `${IMAGE_LIMITS.records} packages`
          : whiteouts > IMAGE_LIMITS.whiteouts
            ? `${IMAGE_LIMITS.whiteouts} whiteouts`
            : undefined
    if (over)
      return {
        files: {},
        symlinks: {},
        whiteouts: [],
        opaque: [],
        limits: [...changes.limits, `the image holds more than ${over}: this layer was not read`],
      }
    Object.assign(this, {recordFiles, records, whiteouts})
    return changes
  }
}
