import {createRequire} from 'node:module'

// A webpack UMD bundle: its ESM default export is not reliable across loaders, require() is.
const cvss = createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator')

/** The base score of a CVSS v3.0, v3.1 or v4.0 vector, or undefined when it is not one. */
export function cvssBaseScore(vector: string): number | undefined {
  try {
    const calculator = vector.startsWith('CVSS:3.1/')
      ? new cvss.Cvss3P1(vector)
      : vector.startsWith('CVSS:3.0/')
        ? new cvss.Cvss3P0(vector)
        : vector.startsWith('CVSS:4.0/')
          ? new cvss.Cvss4P0(vector)
          : undefined
    const score = calculator?.calculateScores().base
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined
  } catch {
    return undefined
  }
}
