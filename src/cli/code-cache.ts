import {closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {Script} from 'node:vm'

/**
 * Loads the CLI bundle (one CommonJS file, whose import() calls go through the caller's: code compiled
 * by vm.Script cannot import() on Node 20, see scripts/build-cli.js) with a V8 code cache kept in the user's cache directory:
 * Node 20 has no module compile cache (22.1+ does, and bin/run.js turns it on there), and parsing
 * and compiling the bundle is a large part of start-up. A cache is V8's own `createCachedData()`
 * taken when the process exits, so it holds every function the run compiled, not only the top level.
 *
 * One cache file per bundle build, Node version and command word (`tags`, `repos`…): each command
 * caches the code it runs. Files are checked before V8 sees them (our header and length, a regular
 * file owned by this user), V8 rejects data of another build or version, and any failure reading or
 * writing only means compiling without a cache.
 */

const MAGIC = 0x52_4c_43_43 // "RLCC"
const HEADER_BYTES = 8

export function encodeCache(data: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt32LE(MAGIC, 0)
  header.writeUInt32LE(data.byteLength, 4)
  return Buffer.concat([header, data])
}

/**
 * The payload of a cache file, or undefined when it is not one of ours or is cut short. No checksum
 * of the payload: hashing it costs as much as the cache saves (V8 checks its own version, flags and
 * the source's length; files are written whole, by rename, in a directory only this user can write).
 */
export function decodeCache(file: Buffer): Buffer | undefined {
  if (file.byteLength < HEADER_BYTES || file.readUInt32LE(0) !== MAGIC) return undefined
  const data = file.subarray(HEADER_BYTES)
  return file.readUInt32LE(4) === data.byteLength ? data : undefined
}

/** A cache file's contents, if it is a regular file of this user's. */
function readOwnFile(path: string): Buffer | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const stat = fstatSync(fd)
    if (!stat.isFile() || (process.getuid && stat.uid !== process.getuid())) return undefined
    return readFileSync(fd)
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

export interface CodeCacheOptions {
  /** Directory of the cache files (created 0700 on first write). */
  directory: string
  /** Identifies the bundle's build (its content hash): caches of other builds are removed. */
  buildId: string
  /** Which part of the CLI this run exercises (a command word): one cache file for each. */
  part: string
  /** `latin1` for a file known to be ASCII: the same text, decoded several times faster than UTF-8 on Node 20. */
  encoding?: 'utf8' | 'latin1'
}

const safe = (text: string) => text.replace(/[^\w.]/g, '_')

/** What every cache file of this build and Node starts with: caches of other builds or Nodes are never read again. */
function namePrefix(buildId: string): string {
  return `${safe(buildId)}-${safe(process.version)}-${process.arch}-`
}

/** Cache file name: build, Node version, architecture, part; only characters safe in a file name. */
export function cacheFileName({buildId, part}: Pick<CodeCacheOptions, 'buildId' | 'part'>): string {
  return `${namePrefix(buildId)}${safe(part)}.v8cache`
}

function writeCache(options: CodeCacheOptions, data: Buffer): void {
  const {directory} = options
  const name = cacheFileName(options)
  try {
    mkdirSync(directory, {recursive: true, mode: 0o700})
    const temporary = join(directory, `.${name}.${process.pid}`)
    writeFileSync(temporary, encodeCache(data), {mode: 0o600})
    renameSync(temporary, join(directory, name))
    const current = namePrefix(options.buildId)
    for (const other of readdirSync(directory))
      if (other.endsWith('.v8cache') && !other.startsWith(current)) rmSync(join(directory, other), {force: true})
  } catch {
    // A read-only or full disk only costs the next run its cache.
  }
}

/**
 * Runs the CommonJS file `path` as `require(path)` would (registered in require.cache, so a later
 * require() of it returns these exports) and returns its exports, compiled with the code cache.
 */
export function requireWithCodeCache(path: string, options: CodeCacheOptions): unknown {
  const require = createRequire(path)
  const nodeModulePaths = (Module as unknown as {_nodeModulePaths?: (dir: string) => string[]})._nodeModulePaths
  // Without it (a future Node), plain require() still works, only without the cache.
  if (typeof nodeModulePaths !== 'function') return require(path)

  const stored = readOwnFile(join(options.directory, cacheFileName(options)))
  const cachedData = stored && decodeCache(stored)
  const source = readFileSync(path, options.encoding ?? 'utf8')
  const script = new Script(Module.wrap(source), {
    filename: path,
    ...(cachedData ? {cachedData} : {}),
  })
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(options, script.createCachedData()))

  const module = new Module(path) as Module & {filename: string; paths: string[]; loaded: boolean}
  module.filename = path
  module.paths = nodeModulePaths(dirname(path))
  require.cache[path] = module
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void
    wrapper.call(module.exports, module.exports, (id: string) => module.require(id), module, path, dirname(path))
  } catch (error) {
    delete require.cache[path]
    throw error
  }
  module.loaded = true
  return module.exports
}

/** The part of the CLI `argv` runs, for the cache file name: a known command word, else `other`. */
export function partOf(argv: string[], commandWords: readonly string[]): string {
  const [first] = argv
  return first !== undefined && commandWords.includes(first) ? first : 'other'
}
