/** The report page's only stylesheet and script, inlined (the page fetches nothing). */

export const REPORT_CSS = `
:root{--bg:#fff;--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--card:#f5f7fa;--bar:#3b6fd8;--rest:#9aa5b8;--bad:#c0392b;--warn:#b7791f}
@media (prefers-color-scheme: dark){:root{--bg:#12151c;--fg:#e4e8ef;--muted:#9aa3b2;--line:#2c3340;--card:#1b2029;--bar:#6f9cf5;--rest:#5d6778;--bad:#ef6b5b;--warn:#e0b050}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
p.meta,p.note,caption{color:var(--muted)}
dl.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin:16px 0}
dl.totals div{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
dl.totals dt{color:var(--muted);font-size:12px}dl.totals dd{margin:2px 0 0;font-size:20px;font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{word-break:break-all}code{font-size:12px}
tfoot td{color:var(--muted);font-style:italic}
caption{text-align:left;caption-side:bottom;padding-top:4px}
.sortable th{cursor:pointer;user-select:none}.sortable th:hover{text-decoration:underline}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
svg.chart{width:100%;height:auto;font-size:12px}
svg.chart text{fill:var(--fg)}svg.chart .bar rect{fill:var(--bar)}svg.chart .rest rect{fill:var(--rest)}
.critical{color:var(--bad);font-weight:600}.high{color:var(--warn);font-weight:600}
`

/** Sorts a table on a click on its header: numbers by data-value, text by content; the first click sorts largest first. */
export const REPORT_JS = `
document.querySelectorAll('table[data-sortable]').forEach(function (table) {
  table.classList.add('sortable')
  var heads = table.tHead.rows[0].cells
  Array.prototype.forEach.call(heads, function (th, column) {
    th.tabIndex = 0
    function sort() {
      var descending = th.getAttribute('aria-sort') !== 'descending'
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort') })
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending')
      var body = table.tBodies[0]
      var rows = Array.prototype.slice.call(body.rows)
      var numeric = th.classList.contains('num')
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column]
        var order = numeric ? Number(x.dataset.value) - Number(y.dataset.value) : x.textContent.localeCompare(y.textContent)
        return descending ? -order : order
      })
      rows.forEach(function (row) { body.appendChild(row) })
    }
    th.addEventListener('click', sort)
    th.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort() } })
  })
})
`
