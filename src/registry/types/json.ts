/** Checks shared by the validators of untrusted registry JSON (manifests, image configs). */

export type Json = Record<string, unknown>

/** Throws the caller's typed error for `reason`. */
export type Fail = (reason: string) => never

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses a body that must be a JSON object. */
export function parseJsonObject(text: string, fail: Fail): Json {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return fail('body is not JSON')
  }
  if (!isObject(doc)) return fail('body is not a JSON object')
  return doc
}

/** An optional string → string map (annotations, labels); null counts as absent. */
export function optionalStringMap(value: unknown, field: string, fail: Fail): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value) || !Object.values(value).every((item) => typeof item === 'string')) fail(`${field} must map strings to strings`)
  return value as Record<string, string>
}
