import type {Unchecked} from './inventory/types.js'

const short = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12)

/** One line for what was not checked, naming the layer and the path: `layer 0123abcd4567: app/x/package.json: larger than 1 MiB, not read`. */
export function describeUnchecked(item: Unchecked): string {
  if (item.layer === '') return item.reason
  return `not checked: layer ${short(item.layer)}${item.path ? `: ${item.path}` : ''}: ${item.reason}`
}
