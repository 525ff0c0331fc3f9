import * as pep440 from '@renovatebot/pep440'
import semver from 'semver'

import {compareApk} from './apk.js'
import {compareDpkg} from './dpkg.js'
import {compareRpm} from './rpm.js'
import {RPM_ECOSYSTEMS} from '../rpm/ecosystem.js'

/** A total order on one ecosystem's versions: negative, zero or positive like Array#sort's callback. */
export type VersionComparator = (a: string, b: string) => number

/** npm versions are semver; loose parsing accepts the `v1.2.3` / `=1.2.3` seen in old lockfiles. */
function compareSemver(a: string, b: string): number {
  const left = semver.parse(a, {loose: true})
  const right = semver.parse(b, {loose: true})
  if (!left || !right) throw new Error(`not a semantic version: ${left ? b : a}`)
  return left.compare(right)
}

function comparePep440(a: string, b: string): number {
  if (!pep440.valid(a) || !pep440.valid(b)) throw new Error(`not a PEP 440 version: ${pep440.valid(a) ? b : a}`)
  return pep440.compare(a, b)
}

/** The base name of an OSV ecosystem (`Debian:12` → `Debian`). */
export function ecosystemBase(ecosystem: string): string {
  return ecosystem.split(':')[0]
}

const COMPARATORS: Record<string, VersionComparator> = {
  Debian: compareDpkg,
  Ubuntu: compareDpkg,
  Alpine: compareApk,
  npm: compareSemver,
  PyPI: comparePep440,
  ...Object.fromEntries(RPM_ECOSYSTEMS.map((base) => [base, compareRpm])),
  // Go module versions are semver with a `v` (`v1.2.3`, pseudo-versions, `+incompatible`); OSV writes them without it.
  Go: compareSemver,
}

/** The comparator for an OSV ecosystem, or undefined when reglens does not know its version order. */
export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  return COMPARATORS[ecosystemBase(ecosystem)]
}

export {compareApk} from './apk.js'
export {compareDpkg} from './dpkg.js'
export {compareRpm} from './rpm.js'
export {compareSemver, comparePep440}
