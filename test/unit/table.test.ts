import {expect} from 'chai'

import {renderTable} from '../../src/output/table.js'

describe('renderTable', () => {
  const columns = [
    {header: 'TAG', value: (row: {tag: string; size: string}) => row.tag},
    {header: 'SIZE', value: (row: {tag: string; size: string}) => row.size, align: 'right' as const},
  ]

  it('aligns columns two spaces apart, right-aligned where asked, with no trailing spaces', () => {
    const text = renderTable(
      [
        {tag: 'v1.0.0', size: '1.2 MB'},
        {tag: 'latest', size: '980 kB'},
        {tag: 'v10', size: '3 GB'},
      ],
      columns,
      {head: (header) => header},
    )
    expect(text.split('\n')).to.deep.equal(['TAG       SIZE', 'v1.0.0  1.2 MB', 'latest  980 kB', 'v10       3 GB'])
  })

  it('measures coloured headers by their visible width', () => {
    const bold = (header: string) => `\u001b[1m${header}\u001b[22m`
    const [head, row] = renderTable(
      [{tag: 'a-long-tag', size: '1 B'}],
      [columns[0], {header: 'SIZE', value: (r: {size: string}) => r.size}],
      {head: bold},
    ).split('\n')
    expect(head).to.equal(`${bold('TAG')}${' '.repeat(9)}${bold('SIZE')}`)
    expect(row).to.equal('a-long-tag  1 B')
  })

  it('trims the padding of an empty last cell', () => {
    expect(
      renderTable([{tag: 'x', size: ''}], [columns[0], {header: 'NOTE', value: (r: {size: string}) => r.size}], {head: (h) => h}).split(
        '\n',
      ),
    ).to.deep.equal(['TAG  NOTE', 'x'])
  })
})
