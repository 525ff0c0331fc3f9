/** `scan --help`: what it does and examples (the flags are in the command). */
export const description = `Scan an image for known vulnerabilities: totals per severity, per layer, and every finding.

Backends: trivy or grype when on PATH (--scanner auto prefers them), else the builtin offline scanner, which streams each layer, reads the package databases (dpkg, apk, rpm, npm, Python) and the build info of Go binaries and matches them against the local OSV database (\`reglens scan db update\`). --fail-on exits with code 14 when a finding at or above that severity exists (after printing the report), so a CI step fails on it; it also fails when packages were found but could not be checked (an OS without advisory data, an unreadable package database, a file past the scanner's bounds), unless --allow-unchecked. An image with nothing to check passes. Results are stored per registry and image digest; --cached reuses them. See docs/scan.md.`

export const examples = [
  {
    description: 'Scan an image with the best available backend',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:1.0',
  },
  {
    description: 'Fail a CI step on critical or high findings, offline',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/team/app:1.0 --scanner builtin --fail-on high',
  },
  {
    description: 'Critical findings as JSON',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --json | jq \'.details[] | select(.severity == "critical")\'',
  },
  {
    description: 'SARIF for code scanning, one platform of a multi-platform image',
    command: '<%= config.bin %> <%= command.id %> localhost:5000/app:1.0 --platform linux/arm64 --sarif > scan.sarif',
  },
]
