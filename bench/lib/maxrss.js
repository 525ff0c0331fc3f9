// Preloaded with `node --import` into a measured process: reports its peak resident set size on exit.
process.on('exit', () => process.stderr.write(`\nreglens-bench-maxrss-kb ${process.resourceUsage().maxRSS}\n`))
