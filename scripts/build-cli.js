// Bundles the CLI (entry, commands, hooks) with esbuild into dist/bundle/: start-up then reads a
// handful of files instead of resolving and compiling hundreds of modules. Shared code goes into
// chunks, so a command loads only what it imports (tags list never loads the scanner's libraries).
// The library build (tsc, dist/index.js and its types) is separate and unchanged.
import {readdirSync} from 'node:fs'
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

/** `undici` (the package itself, not its files) resolves to the subset the CLI uses. */
const undiciSubset = {
  name: 'undici-subset',
  setup(builder) {
    builder.onResolve({filter: /^undici$/}, () => ({path: join(root, 'scripts/bundle/undici-subset.cjs')}))
    // The HTTP parser's WebAssembly, as base64 (145 kB for its two builds): required from node_modules
    // at the first connection, not decoded with the bundle by commands that make no request.
    builder.onResolve({filter: /\/llhttp\/llhttp(_simd)?-wasm\.js$/}, (args) => ({
      path: `undici/lib/llhttp/${args.path.split('/').pop()}`,
      external: true,
    }))
  },
}

const result = await build({
  absWorkingDir: root,
  // The scanner's parse worker is started by URL next to the chunk that starts it (parse-large.ts), so
  // it is its own entry at the bundle's top level, where the chunks are.
  entryPoints: [
    'src/cli/main.ts',
    ...sources('src/cli/hooks'),
    ...sources('src/commands'),
    {in: 'src/scan/inventory/parse-worker.ts', out: 'parse-worker'},
  ],
  outbase: 'src',
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages call require(); ESM output has none unless given one.
  banner: {js: "import {createRequire as __reglensRequire} from 'node:module';const require=__reglensRequire(import.meta.url);"},
  plugins: [undiciSubset],
  // Loaded from node_modules at run time: cyclonedx (only by image sbom) probes optional XML packages
  // itself; sql.js (only for rpm databases) finds its WebAssembly file next to its own script.
  external: ['@cyclonedx/cyclonedx-library', 'typescript', 'sql.js'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
})
console.error(`bundled the CLI into ${relative(process.cwd(), join(root, 'dist/bundle'))}`)
if (process.env.REGLENS_BUNDLE_META)
  (await import('node:fs')).writeFileSync(process.env.REGLENS_BUNDLE_META, JSON.stringify(result.metafile))
