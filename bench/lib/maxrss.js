// Preloaded with `node --import` into a measured process: reports its peak resident set size on exit.
// On Linux that is VmHWM, the peak of this program's own memory: getrusage's maxRSS also counts the
// parent's resident set at fork (it survives exec), so a bench holding a 260 MB layer would add it.
import {readFileSync} from 'node:fs'

function peakKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1])
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS
}

process.on('exit', () => process.stderr.write(`\nreglens-bench-maxrss-kb ${peakKb()}\n`))
