import {chmodSync, mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {type Document, isMap, parseDocument} from 'yaml'

import {readConfigText, type RegistryEntry, validateConfig, yamlProblem} from './config.js'
import {ConfigError} from '../errors.js'

/**
 * Edits the YAML config in place: comments and the order of other keys survive (yaml's Document API),
 * the result is validated before it is written, and the file is (re)written with mode 0600 because
 * it may name password files and user names.
 */

function readDocument(path: string): Document {
  const doc = parseDocument(readConfigText(path) ?? '')
  if (doc.errors.length > 0) throw new ConfigError(`invalid config ${path}: ${yamlProblem(doc.errors[0].message)}`)
  return doc
}

function writeDocument(path: string, doc: Document): void {
  validateConfig(doc.toJS(), path)
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, doc.toString(), {mode: 0o600})
  chmodSync(temp, 0o600)
  renameSync(temp, path)
}

/** Adds or replaces `registries.NAME`; `makeDefault` also sets `default: NAME`. */
export function saveRegistry(path: string, name: string, entry: RegistryEntry, options: {makeDefault?: boolean} = {}): void {
  const doc = readDocument(path)
  // `registries:` with nothing under it parses as null: make it a mapping first.
  if (!isMap(doc.get('registries'))) doc.set('registries', doc.createNode({}))
  doc.setIn(['registries', name], doc.createNode(entry))
  if (options.makeDefault) doc.set('default', name)
  writeDocument(path, doc)
}

/** Removes `registries.NAME` (and `default` when it named it); answers whether it was the default. */
export function removeRegistry(path: string, name: string): {wasDefault: boolean} {
  const doc = readDocument(path)
  if (!doc.hasIn(['registries', name])) {
    const names = Object.keys((doc.toJS()?.registries as Record<string, unknown> | undefined) ?? {})
    throw new ConfigError(`unknown registry "${name}" in ${path}; configured: ${names.length > 0 ? names.join(', ') : 'none'}`)
  }
  doc.deleteIn(['registries', name])
  const wasDefault = doc.get('default') === name
  if (wasDefault) doc.delete('default')
  writeDocument(path, doc)
  return {wasDefault}
}
