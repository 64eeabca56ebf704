import { SafeHtml } from './html.js';

/** The printable report's styles: A4 with margins, rows never split across pages, nothing fixed. */
export const REPORT_CSS = new SafeHtml(`
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { color: #1b1f24; background: #fff; }
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 18pt; margin: 0; }
h2 { font-size: 12pt; margin: 16pt 0 5pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #1b1f24; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 9pt 0 4pt; break-after: avoid; }
p { margin: 3pt 0; }
.sub, .muted, footer { color: #5a6470; }
.muted { font-size: 8.5pt; }
.none { color: #5a6470; font-style: italic; }
.nowrap { white-space: nowrap; }
.num { text-align: right; color: #5a6470; white-space: nowrap; }
.log td.who { width: 26mm; overflow-wrap: normal; }
header { margin-bottom: 10pt; }
.overview { display: flex; gap: 12pt; align-items: flex-start; break-inside: avoid; }
.facts { flex: 1; border-collapse: collapse; }
.facts th { text-align: left; font-weight: 600; padding: 2pt 10pt 2pt 0; width: 28mm; vertical-align: top; white-space: nowrap; }
.facts td { padding: 2pt 0; }
.verdict-box { min-width: 42mm; border: 1.5pt solid #8a939e; border-radius: 4pt; padding: 6pt 9pt; text-align: center; }
.verdict-box .label { font-size: 8pt; text-transform: uppercase; letter-spacing: .06em; color: #5a6470; }
.verdict-box .value { font-size: 14pt; font-weight: 700; }
.verdict-box .when { font-size: 8pt; color: #5a6470; }
.v-accepted { border-color: #1f7a3a; color: #1f7a3a; }
.v-rejected { border-color: #b3261e; color: #b3261e; }
.v-inconclusive { border-color: #9a6700; color: #9a6700; }
table.list { width: 100%; border-collapse: collapse; font-size: 9pt; }
table.list thead { display: table-header-group; }
table.list th { text-align: left; font-weight: 600; border-bottom: 1pt solid #8a939e; padding: 3pt 5pt 3pt 0; }
table.list td { border-bottom: .5pt solid #d5dae0; padding: 3pt 5pt 3pt 0; vertical-align: top; overflow-wrap: anywhere; }
tr, figure, li { break-inside: avoid; }
.ok { color: #1f7a3a; white-space: nowrap; }
.bad { color: #b3261e; font-weight: 700; white-space: nowrap; }
.c-pass { color: #1f7a3a; } .c-warn { color: #9a6700; } .c-fail { color: #b3261e; font-weight: 600; }
.sev { display: inline-block; padding: 0 4pt; border-radius: 3pt; font-size: 8pt; text-transform: uppercase; border: .75pt solid currentColor; }
.sev-high .sev { color: #b3261e; } .sev-medium .sev { color: #9a6700; } .sev-low .sev { color: #5a6470; }
tr.signal td { background: #fff6dd; }
@media print { tr.signal td { background: #fff6dd; -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
.photos { display: flex; gap: 8pt; }
.photos figure { width: 45mm; }
.shots { display: grid; grid-template-columns: repeat(6, 1fr); gap: 5pt; }
figure { margin: 0; }
figure img { display: block; width: 100%; height: auto; border: .5pt solid #b7bec7; background: #eef0f2; }
figcaption { font-size: 7.5pt; color: #5a6470; margin-top: 1pt; overflow-wrap: anywhere; }
.gaps { margin: 2pt 0; padding-left: 14pt; font-size: 9pt; }
.log table.list { font-size: 8.5pt; }
footer { margin-top: 14pt; font-size: 8pt; border-top: .5pt solid #d5dae0; padding-top: 4pt; }
`);
