import {createRequire} from 'node:module'

import type TableConstructor from 'cli-table3'

export interface Column<Row> {
  header: string
  value: (row: Row) => string
  align?: 'left' | 'right'
}

/** Renders rows as a borderless, aligned table for humans (with --json, nothing here is used). */
export function renderTable<Row>(rows: Iterable<Row>, columns: Column<Row>[], style: {head: (text: string) => string}): string {
  // Loaded on first use: with --json no table is drawn, and start-up stays small.
  const Table = createRequire(import.meta.url)('cli-table3') as typeof TableConstructor
  const table = new Table({
    head: columns.map((column) => style.head(column.header)),
    colAligns: columns.map((column) => column.align ?? 'left'),
    chars: {top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  '},
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
  })
  for (const row of rows) table.push(columns.map((column) => column.value(row)))
  return table.toString().split('\n').map((line) => line.trimEnd()).join('\n')
}

/** Renders `label  value` lines with aligned values; multi-line values are indented under the first. */
export function renderFields(fields: [label: string, value: string | undefined][], style: {label: (text: string) => string}): string {
  const shown = fields.filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '')
  const width = Math.max(0, ...shown.map(([label]) => label.length))
  return shown
    .map(([label, value]) => {
      const [first, ...rest] = value.split('\n')
      return [`${style.label(label.padEnd(width))}  ${first}`, ...rest.map((line) => `${' '.repeat(width)}  ${line}`)].join('\n')
    })
    .join('\n')
}
