// Bundles the CLI with esbuild into one CommonJS file, dist/bundle/cli.cjs: entry, oclif, every
// command and hook. Start-up then reads one file, which bin/run.js compiles with a V8 code cache
// (src/cli/code-cache.ts); Node 20's CommonJS loader is also cheaper than its ESM loader for a big file.
// Commands and hooks stay lazy: they are getters that require their module on first access, and
// esbuild only runs a required module's top level when it is required, so `tags list` never runs
// the scanner's modules. The scanner's parse worker is its own (ESM) bundle next to it.
// The library build (tsc, dist/index.js and its types) is separate and unchanged.
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

function sources(dir) {
  return readdirSync(join(root, dir), {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** oclif's command id of a file under src/commands (`tags:list`, `scan` for scan/index.ts). */
function commandId(path) {
  return relative('src/commands', path)
    .replace(/\.ts$/, '')
    .replace(/(^|\/)index$/, '')
    .replaceAll('/', ':')
}

const lazy = (name, path, member) =>
  `Object.defineProperty(${name}, ${JSON.stringify(member)}, {enumerable: true, get: () => require(${JSON.stringify(`./${path}`)}).default})`

/** The bundle's entry: `main`, then oclif's explicit command table and the hooks, each loaded on first access. */
function entrySource() {
  const hooks = {commandNotFound: 'src/cli/hooks/command-not-found.ts', postrun: 'src/cli/hooks/live-completion.ts'}
  return [
    `module.exports.main = require('./src/cli/main.ts').main`,
    `const COMMANDS = (module.exports.COMMANDS = {})`,
    ...sources('src/commands').map((path) => lazy('COMMANDS', path, commandId(path))),
    ...Object.entries(hooks).map(([name, path]) => lazy('module.exports', path, name)),
  ].join('\n')
}

/** undici's two builds of llhttp (with and without SIMD), as the .wasm files the build writes next to the bundle. */
const LLHTTP_BUILDS = {'llhttp_simd-wasm.js': 'llhttp_simd.wasm', 'llhttp-wasm.js': 'llhttp.wasm'}

/** `undici` (the package itself, not its files) resolves to the subset the CLI uses. */
const undiciSubset = {
  name: 'undici-subset',
  setup(builder) {
    builder.onResolve({filter: /^undici$/}, () => ({path: join(root, 'scripts/bundle/undici-subset.cjs')}))
    // The HTTP parser's WebAssembly: undici ships it as base64 in a module (145 kB for its two builds),
    // which cost ~4 ms to find, compile and decode at the first connection. The build writes the
    // binaries next to the bundle (LLHTTP_BUILDS), read at the first connection.
    builder.onResolve({filter: /\/llhttp\/llhttp(_simd)?-wasm\.js$/}, (args) => ({
      path: args.path.split('/').pop(),
      namespace: 'llhttp-binary',
    }))
    builder.onLoad({filter: /.*/, namespace: 'llhttp-binary'}, (args) => ({
      loader: 'js',
      contents: `module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(LLHTTP_BUILDS[args.path])}))`,
    }))
  },
}

/**
 * undici checks its own invariants with `assert(value)`; node:assert costs ~1.5 ms of start-up to load.
 * It gets a function that loads node:assert only when a check fails (to throw its AssertionError) or
 * when another of its functions is used.
 */
const undiciAssert = {
  name: 'undici-assert',
  setup(builder) {
    builder.onResolve({filter: /^node:assert$/}, (args) =>
      args.importer.includes('/node_modules/undici/') ? {path: 'node:assert', namespace: 'undici-assert'} : undefined,
    )
    builder.onLoad({filter: /.*/, namespace: 'undici-assert'}, () => ({
      loader: 'js',
      contents: `const real = () => require('node:assert')
function assert(value, message) {
  if (!value) real()(value, message)
}
module.exports = new Proxy(assert, {get: (target, key) => (key in target ? target[key] : real()[key])})`,
    }))
  },
}

/** undici's HTTP/2 client, never used (allowH2 stays off), is left out with node:http2. */
const undiciWithoutH2 = {
  name: 'undici-without-h2',
  setup(builder) {
    builder.onResolve({filter: /^\.\/client-h2\.js$/}, (args) =>
      args.importer.includes('/undici/lib/dispatcher/') ? {path: join(root, 'scripts/bundle/undici-no-h2.cjs')} : undefined,
    )
  },
}

/**
 * oclif's modules load these modules at their top level, for functions a plain command run never calls
 * (performance marks, reading a flag from stdin, a WSL check, file checks of flags, loading TypeScript
 * plugins, lilconfig's search for config files, which also loads node:fs/promises, tinyglobby's search
 * for command files and minimatch's plugin patterns, both unneeded with the manifest, help templates,
 * spinner frames): each is loaded at first use instead. `__esModule`, which TypeScript's import helpers
 * read at once, is answered from the module as the build sees it, without loading it at run time.
 */
const LAZY_FOR_OCLIF = /^(node:(child_process|perf_hooks|readline|fs\/promises)|lilconfig|tinyglobby|minimatch|ejs|cli-spinners)$/
const requireFromOclif = createRequire(join(root, 'node_modules/@oclif/core/lib/index.js'))
const lazyForOclif = {
  name: 'lazy-for-oclif',
  setup(builder) {
    builder.onResolve({filter: LAZY_FOR_OCLIF}, (args) =>
      args.importer.includes('/node_modules/@oclif/core/') ? {path: args.path, namespace: 'lazy-for-oclif'} : undefined,
    )
    builder.onLoad({filter: /.*/, namespace: 'lazy-for-oclif'}, (args) => ({
      loader: 'js',
      resolveDir: join(root, 'node_modules/@oclif/core'),
      contents: `let loaded
const load = () => (loaded ??= require(${JSON.stringify(args.path)}))
const esModule = ${Boolean(requireFromOclif(args.path).__esModule)}
module.exports = new Proxy({}, {get: (_, key) => (key === '__esModule' ? esModule : load()[key]), has: (_, key) => key in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, key) => ({...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true})})`,
    }))
  },
}

/**
 * oclif asks wsl-utils whether it runs in WSL on every start; that package also loads node:child_process
 * for PowerShell paths, which oclif asks only on Windows. It gets is-wsl's answer and wsl-utils on demand.
 */
const oclifWslCheck = {
  name: 'oclif-wsl-check',
  setup(builder) {
    builder.onResolve({filter: /^wsl-utils$/}, (args) =>
      args.importer.includes('/node_modules/@oclif/core/') ? {path: 'wsl-utils', namespace: 'oclif-wsl-check'} : undefined,
    )
    builder.onLoad({filter: /.*/, namespace: 'oclif-wsl-check'}, () => ({
      loader: 'js',
      resolveDir: join(root, 'node_modules/@oclif/core'),
      contents: `export {default as isWsl} from 'is-wsl'
export const powerShellPath = (...args) => import('wsl-utils').then((utils) => utils.powerShellPath(...args))`,
    }))
  },
}

/**
 * oclif makes its loggers with the debug package at start-up, which loads node:tty and supports-color
 * and reads its settings from the environment. debug logs only when DEBUG is set, so unless it is,
 * oclif's loggers are functions that do nothing.
 */
const oclifDebug = {
  name: 'oclif-debug',
  setup(builder) {
    builder.onResolve({filter: /^debug$/}, (args) =>
      args.importer.includes('/node_modules/@oclif/core/') ? {path: 'debug', namespace: 'oclif-debug'} : undefined,
    )
    builder.onLoad({filter: /.*/, namespace: 'oclif-debug'}, () => ({
      loader: 'js',
      resolveDir: join(root, 'node_modules/@oclif/core'),
      contents: `module.exports = process.env.DEBUG ? require('debug') : () => () => {}`,
    }))
  },
}

/**
 * Exact edits to bundled packages' sources, each for a measured start-up cost. The build fails when an
 * upgrade changes the text, so an edit is never silently lost or applied to code it was not written for.
 */
const SOURCE_EDITS = [
  {
    // The first localeCompare() call builds ICU's collator: ~13 ms of every start, to sort command ids.
    // The CLI's ids are lowercase ASCII words joined by ':' and '-', which code-point order sorts the same.
    file: 'node_modules/@oclif/core/lib/config/plugin.js',
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
  {
    // oclif reads its manifest and package.json files with node:fs/promises, which costs ~5 ms to load
    // (and loads node:readline): read at start-up, when nothing else runs, a synchronous read is the same.
    file: 'node_modules/@oclif/core/lib/util/fs.js',
    from: "const contents = await (0, promises_1.readFile)(path, 'utf8');",
    to: "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
  },
]
const appliedEdits = new Set()
const sourceEdits = {
  name: 'source-edits',
  setup(builder) {
    for (const edit of SOURCE_EDITS) {
      const path = join(root, edit.file)
      builder.onLoad({filter: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)}, () => {
        const source = readFileSync(path, 'utf8')
        if (source.split(edit.from).length !== 2) throw new Error(`${edit.file} no longer holds \`${edit.from}\` once: review SOURCE_EDITS`)
        appliedEdits.add(edit)
        return {contents: source.replace(edit.from, edit.to), loader: 'js'}
      })
    }
  },
}

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  plugins: [undiciSubset, undiciWithoutH2, undiciAssert, lazyForOclif, oclifWslCheck, oclifDebug, sourceEdits],
  // Loaded from node_modules at run time: cyclonedx (only by image sbom) probes optional XML packages
  // itself; sql.js (only for rpm databases) finds its WebAssembly file next to its own script. The
  // others are large and only some commands use them (config files, the scanner, the spinner): every
  // run reads and compiles the whole bundle, a package required from node_modules costs only its users.
  external: [
    '@cyclonedx/cyclonedx-library',
    'typescript',
    'sql.js',
    'yaml',
    'yauzl',
    'tar-stream',
    'packageurl-js',
    '@renovatebot/pep440',
    'ora',
    'tar',
  ],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
}

const result = await build({
  ...common,
  stdin: {contents: entrySource(), resolveDir: root, sourcefile: 'cli-entry.cjs', loader: 'js'},
  outfile: 'dist/bundle/cli.cjs',
  format: 'cjs',
  // Sources use import.meta.url to find files next to them (the parse worker, createRequire).
  define: {'import.meta.url': '__reglensModuleUrl'},
  write: false,
})
for (const edit of SOURCE_EDITS)
  if (!appliedEdits.has(edit)) throw new Error(`${edit.file} is no longer in the bundle: review SOURCE_EDITS`)
/**
 * Node 20 runs import() in code compiled by vm.Script (the code cache, src/cli/code-cache.ts) only
 * with --experimental-vm-modules. So every import() call in the bundle (oclif loading its ESM plugins,
 * the spinner, sql.js) goes through bin/run.js's own import(), which it registers under a global
 * symbol; loaded by a plain require() (`oclif manifest`), the bundle falls back to its own import().
 * The callers pass absolute URLs or package names, which resolve the same from bin/.
 */
const IMPORT_CALL = /\bimport\((?!\))/g
const banner = [
  "const __reglensModuleUrl=require('node:url').pathToFileURL(__filename).href;",
  "const __reglensImport=globalThis[Symbol.for('reglens.import')]??(specifier=>import(specifier));",
].join('')
const [output] = result.outputFiles.filter((file) => file.path.endsWith('.cjs'))
/**
 * ASCII only: bin/run.js then reads the bundle as latin1, several times cheaper than Node 20's UTF-8
 * decoding of a megabyte, and V8 keeps a one-byte string. esbuild escapes strings but leaves characters
 * in regular expressions and templates; a \\u escape means the same character in all of them (a
 * template's raw text would differ, and no tag in the bundle reads it: html`` joins the cooked strings).
 */
const ascii = (text) => text.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
const code = ascii(output.text.replace(IMPORT_CALL, '__reglensImport('))
mkdirSync(join(root, 'dist/bundle'), {recursive: true})
writeFileSync(output.path, `${banner}\n${code}`)
for (const file of result.outputFiles) if (file !== output) writeFileSync(file.path, file.contents)
for (const [module, wasm] of Object.entries(LLHTTP_BUILDS))
  writeFileSync(join(root, 'dist/bundle', wasm), createRequire(import.meta.url)(`undici/lib/llhttp/${module}`))
// What bin/run.js loads first: the code cache's loader (CommonJS, like bin/run.js, see there).
await build({
  ...common,
  stdin: {
    contents: "module.exports = {...require('./src/cli/code-cache.ts'), cacheRoot: require('./src/scan/paths.ts').cacheRoot}",
    resolveDir: root,
    sourcefile: 'loader-entry.cjs',
    loader: 'js',
  },
  outfile: 'dist/bundle/loader.cjs',
  format: 'cjs',
  metafile: false,
})
// The scanner's parse worker is started by URL next to the bundle (parse-large.ts).
await build({
  ...common,
  entryPoints: {'parse-worker': 'src/scan/inventory/parse-worker.ts'},
  outdir: 'dist/bundle',
  format: 'esm',
  // Bundled CommonJS packages call require(); ESM output has none unless given one.
  banner: {js: "import {createRequire as __reglensRequire} from 'node:module';const require=__reglensRequire(import.meta.url);"},
})
// What bin/run.js needs before it loads the bundle: the build's identity (its code caches are only
// valid for this build) and the command words, one code cache each.
writeFileSync(
  join(root, 'dist/bundle/cli.json'),
  JSON.stringify({
    buildId: createHash('sha256')
      .update(readFileSync(join(root, 'dist/bundle/cli.cjs')))
      .digest('hex')
      .slice(0, 16),
    commandWords: [...new Set(sources('src/commands').map((path) => commandId(path).split(':')[0]))].sort(),
  }),
)
console.error(`bundled the CLI into ${relative(process.cwd(), join(root, 'dist/bundle/cli.cjs'))}`)
if (process.env.REGLENS_BUNDLE_META) writeFileSync(process.env.REGLENS_BUNDLE_META, JSON.stringify(result.metafile))
