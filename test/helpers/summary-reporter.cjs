// mocha's spec reporter plus one plain closing line, "N passed, N failed, N skipped", that CI reads.
// A run that stops before mocha's end (code under test calling process.exit) fails instead of passing.
const Mocha = require('mocha')

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    let ended = false
    runner.once('end', () => {
      ended = true
      const {passes, failures, pending} = this.stats
      process.stdout.write(`${passes} passed, ${failures} failed, ${pending} skipped\n`)
    })
    process.once('exit', (code) => {
      if (ended) return
      process.stdout.write(
        `the test run stopped before its end (exit ${code}) after ${this.stats.passes} passed, ${this.stats.failures} failed\n`,
      )
      process.exitCode = 1
    })
  }
}

module.exports = SpecWithSummary
