/** PEP 503 name normalisation: `Foo_Bar.baz` and `foo-bar-baz` are the same project. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** The key a package is stored and looked up under in the advisory database of an ecosystem. */
export function packageKey(base: string, name: string): string {
  return base === 'PyPI' ? normalizePythonName(name) : name
}
