/** Plain-text tables for the benchmark's stdout (no colours: it is meant to be pasted). */

export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '—')))
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)))
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')
  return [line(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

export function section(title) {
  return `\n== ${title} ${'='.repeat(Math.max(0, 72 - title.length))}`
}
