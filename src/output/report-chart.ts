import {humanBytes} from './bytes.js'
import {html, type Html} from './html.js'

export interface Bar {
  label: string
  value: number
  /** A summary bar ("N others"), drawn apart. */
  rest?: boolean
}

const ROW = 22
const LABEL_WIDTH = 260
const VALUE_WIDTH = 80
const WIDTH = 900
const MAX_LABEL = 38

function shorten(label: string): string {
  return label.length > MAX_LABEL ? `…${label.slice(-(MAX_LABEL - 1))}` : label
}

/**
 * A horizontal bar chart as inline SVG, bars in the order given (the caller sorts them). Plain SVG
 * written here rather than a chart library: one sorted bar chart needs only rectangles and text,
 * and the page must stay one small file that fetches nothing.
 */
export function barChart(bars: Bar[], title: string): Html {
  const max = Math.max(1, ...bars.map((bar) => bar.value))
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
  const height = bars.length * ROW + 4
  const rows = bars.map((bar, index) => {
    const y = index * ROW + 2
    const width = bar.value === 0 ? 0 : Math.max(1, Math.round((bar.value / max) * plot))
    return html`<g class="${bar.rest ? 'bar rest' : 'bar'}"><title>${bar.label}: ${humanBytes(bar.value)} (${bar.value} bytes)</title><text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${shorten(bar.label)}</text><rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width}" height="${ROW - 6}" rx="2"></rect><text x="${LABEL_WIDTH + width + 6}" y="${y + 15}">${humanBytes(bar.value)}</text></g>`
  })
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows}</svg>`
}
