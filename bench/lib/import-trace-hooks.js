// Module resolution hook (runs on the loader thread): one stderr line per command module resolved.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  if (resolved.url.includes('/dist/bundle/commands/')) process.stderr.write(`reglens-bench-command-module ${resolved.url}\n`)
  return resolved
}
