/**
 * The outcome report as one self-contained HTML file: inline CSS and SVG charts, no script, nothing
 * loaded from elsewhere. Every text from the store (a customer's redacted words) is HTML-escaped.
 */
import { escapeHtml } from '../core/html.js';
import type { OutcomeReport, Stage } from './outcomes.js';
import { STAGES } from './outcomes.js';

const STAGE_LABELS: Record<Stage, string> = {
  recognised: 'recognised',
  suspected: 'suspected (offered)',
  walked: 'walked through',
  details: 'details collected',
  summary: 'fix summary given',
  confirmed: 'confirmed fixed',
  escalated: 'handed to a person',
};
const STAGE_COLOURS: Record<Stage, string> = {
  recognised: '#1f56b8',
  suspected: '#7d8fb3',
  walked: '#3a7bd5',
  details: '#6a9be0',
  summary: '#1b7f3b',
  confirmed: '#0d5226',
  escalated: '#b35c00',
};

/** Horizontal bars, one group per row under its label, one bar per series; a table gives the same numbers. */
function barChart(rows: Array<{ label: string; values: number[] }>, series: Array<{ name: string; colour: string }>, title: string): string {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const barHeight = 12;
  const width = 900;
  const legendHeight = 22;
  const rowHeight = 18 + series.length * (barHeight + 2) + 8;
  const height = legendHeight + rows.length * rowHeight;
  const bars = rows
    .map((row, i) => {
      const y = legendHeight + i * rowHeight;
      const label = `<text x="0" y="${y + 12}" font-size="12" font-weight="600">${escapeHtml(row.label)}</text>`;
      const rects = row.values
        .map((value, j) => {
          const w = Math.round(((width - 60) * value) / max);
          const by = y + 18 + j * (barHeight + 2);
          return `<rect x="0" y="${by}" width="${w}" height="${barHeight}" fill="${series[j]!.colour}"><title>${escapeHtml(`${row.label}, ${series[j]!.name}: ${value}`)}</title></rect><text x="${w + 4}" y="${by + barHeight - 2}" font-size="11">${value}</text>`;
        })
        .join('');
      return label + rects;
    })
    .join('');
  const legend = series
    .map((s, j) => `<rect x="${j * 170}" y="2" width="10" height="10" fill="${s.colour}"/><text x="${j * 170 + 14}" y="11" font-size="11">${escapeHtml(s.name)}</text>`)
    .join('');
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">${legend}${bars}</svg>`;
}

export function renderReportHtml(report: OutcomeReport, options: { title: string; generatedAt: Date; titleOf: (reason: string) => string }): string {
  const reasonLabel = (reason: string) => (reason === 'none' ? 'No reason identified' : options.titleOf(reason));
  const funnelChart =
    report.funnel.length === 0
      ? '<p>No conversations yet.</p>'
      : barChart(
          report.funnel.map((row) => ({ label: reasonLabel(row.reason), values: STAGES.map((s) => row[s]) })),
          STAGES.map((s) => ({ name: STAGE_LABELS[s], colour: STAGE_COLOURS[s] })),
          'Funnel per rejection reason',
        );
  const funnelTable = `<table><thead><tr><th scope="col">Reason</th>${STAGES.map((s) => `<th scope="col">${STAGE_LABELS[s]}</th>`).join('')}<th scope="col">left before the end (over a day ago)</th></tr></thead><tbody>${report.funnel
    .map((row) => `<tr><th scope="row">${escapeHtml(reasonLabel(row.reason))}</th>${STAGES.map((s) => `<td>${row[s]}</td>`).join('')}<td>${row.abandoned}</td></tr>`)
    .join('')}</tbody></table>`;
  const rated = report.satisfaction.helpful + report.satisfaction.not_helpful;
  const satisfaction = barChart(
    [
      { label: 'This helped', values: [report.satisfaction.helpful] },
      { label: "This didn't help", values: [report.satisfaction.not_helpful] },
    ],
    [{ name: 'conversations', colour: '#1f56b8' }],
    'Satisfaction',
  );
  const volume =
    report.volume.length === 0
      ? '<p>No conversations yet.</p>'
      : barChart(
          report.volume.map((d) => ({ label: d.day, values: [d.recognised, d.summary, d.escalated] })),
          [
            { name: 'reason recognised', colour: STAGE_COLOURS.recognised },
            { name: 'fix summary given', colour: STAGE_COLOURS.summary },
            { name: 'handed to a person', colour: STAGE_COLOURS.escalated },
          ],
          'Conversations per day',
        );
  const gaps =
    report.gaps.length === 0
      ? '<p>Nothing the bot did not understand.</p>'
      : `<table><thead><tr><th scope="col">Messages</th><th scope="col">About</th><th scope="col">Examples (redacted)</th><th scope="col">Nearest intent</th></tr></thead><tbody>${report.gaps
          .slice(0, 20)
          .map(
            (g) =>
              `<tr><td>${g.count}</td><td>${escapeHtml(g.label)}</td><td><ul>${g.examples.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></td><td>${escapeHtml(g.nearest ?? 'none')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1d1f23; background: #fff; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  table { border-collapse: collapse; margin-top: .5rem; } th, td { border: 1px solid #c4c9d1; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  td { font-variant-numeric: tabular-nums; } ul { margin: 0; padding-left: 1.1rem; }
  .note { color: #4a515b; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(options.title)}</h1>
<p class="note">Made ${escapeHtml(options.generatedAt.toISOString())}. Each figure counts conversations, once per stage. "Fix summary given" is an assumed resolution: the customer left with the fix. "Confirmed fixed" counts those who answered the check-in a week later that the order went through.</p>
<h2>Funnel per rejection reason</h2>
${funnelChart}
${funnelTable}
<h2>Satisfaction</h2>
<p>${rated} conversation${rated === 1 ? '' : 's'} rated at the end of a walkthrough.</p>
${satisfaction}
<h2>Volume over time</h2>
${volume}
<h2>What the bot did not understand</h2>
<p class="note">Messages that were out of scope, read with low confidence, or led to a person, grouped by the words they share (kept redacted, for 90 days).</p>
${gaps}
</main>
</body>
</html>
`;
}
