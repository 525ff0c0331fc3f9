'use strict'
// Preloaded with `node --require`: at exit, says on stderr how many Node built-in modules the process loaded.
process.on('exit', () => {
  const count = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).length
  process.stderr.write(`reglens-bench-builtins ${count}\n`)
})
