/**
 * `npm run eval -- FILE [--json]`: scores the bot's understanding on JSON lines `{text, label}`.
 * `npm run eval -- FILE --model`: also with the optional model on (OPENAI_API_KEY, OPENAI_BASE_URL), and
 * the difference against offline.
 * `npm run eval -- --cv [K]`: K-fold cross-validation over intents/ (default 5), with calibration.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { OUT_OF_SCOPE } from '../src/content/ids.js';
import { parseEvaluationRows, predictedLabel, scoreMulti, scorePredictions, type EvaluationReport, type MultiReport } from '../src/nlu/evaluation.js';
import { crossValidate } from '../src/nlu/cross-validation.js';
import { createUnderstander, DEFAULT_THRESHOLDS } from '../src/nlu/understand.js';
import { redactSecrets } from '../src/core/redact.js';
import { readWithModel, reasonTitles } from '../src/nlu/model-reading.js';
import type { NoticeReading } from '../src/nlu/notice-reader.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    cv: { type: 'boolean', default: false },
    folds: { type: 'string', default: '5' },
    sweep: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    model: { type: 'boolean', default: false },
  },
});

const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } });
const composition = compose(config, { logFd: 2 });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

if (values.cv) {
  const report = crossValidate(composition.content, { folds: Number(values.folds) });
  console.log(`${report.folds}-fold cross-validation over intents/ (${report.n} examples)`);
  console.log(`  accuracy (all intents)      ${pct(report.accuracy)}`);
  console.log(`  accuracy (eval labels)      ${pct(report.labelAccuracy)}`);
  console.log(`  log loss at T=1             ${report.logLossAtOne.toFixed(3)}`);
  console.log(`  best temperature            ${report.bestTemperature.toFixed(2)} (log loss ${report.bestLogLoss.toFixed(3)})`);
  console.log(`  expected calibration error  ${report.ece.toFixed(3)} at the configured temperature`);
  console.log('  reliability (confidence bin: mean confidence / accuracy / count)');
  for (const bin of report.reliability) console.log(`    ${bin.range.padEnd(9)} ${bin.confidence.toFixed(2)} / ${bin.accuracy.toFixed(2)} / ${bin.count}`);
  console.log('  weakest intents by recall');
  for (const [label, recall] of report.weakest) console.log(`    ${label.padEnd(26)} ${pct(recall)}`);
  console.log('  "unsure" threshold (eval-label accuracy, OOS precision / recall, out of fold)');
  for (const t of report.thresholdSweep) console.log(`    ${t.minConfidence.toFixed(2)}  ${pct(t.accuracy)}  ${pct(t.oosPrecision)} / ${pct(t.oosRecall)}`);
  console.log('  ambiguity margin (share of rejection messages asked to choose; of those, top-2 rescued / both wrong)');
  for (const m of report.marginSweep) console.log(`    ${m.margin.toFixed(2)}  ${pct(m.askedShare)}  ${pct(m.rescuedShare)} / ${pct(m.bothWrongShare)}`);
  if (values.json) console.log(JSON.stringify(report));
} else {
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run eval -- FILE [--json]   |   npm run eval -- --cv [--folds K]');
    process.exit(2);
  }
  let rows: ReturnType<typeof parseEvaluationRows>;
  try {
    rows = parseEvaluationRows(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`eval: ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
  if (values.sweep) sweep(rows.single);
  const predicted = rows.single.map((row) => predictedLabel(composition.understander.understand(row.text)));
  const report: EvaluationReport & { multi?: MultiReport } = scorePredictions(
    rows.single.map((r) => r.label),
    predicted,
  );
  if (rows.single.length > 0) printReport(file, report);
  if (rows.multi.length > 0) {
    const readings = rows.multi.map((row) => composition.reader.read(row.text).reasons);
    const recognised = readings.map((reasons) => reasons.map((r) => r.intent as string));
    report.multi = scoreMulti(
      rows.multi.map((r) => r.labels),
      recognised,
    );
    console.log(`${file}: ${report.multi.n} notices with several reasons (scored as sets)`);
    console.log(`  exact set          ${pct(report.multi.exact)}`);
    console.log(`  reason recall      ${pct(report.multi.recall)}`);
    console.log(`  reason precision   ${pct(report.multi.precision)}`);
    if (values.misses) {
      rows.multi.forEach((row, i) => {
        const got = recognised[i]!;
        if (got.length !== row.labels.length || !row.labels.every((l) => got.includes(l))) {
          console.log(`  miss: want [${row.labels.join(', ')}] got [${got.join(', ')}]: ${row.text.replace(/\s+/g, ' ').slice(0, 200)}`);
          for (const extra of readings[i]!.filter((r) => !row.labels.includes(r.intent))) {
            console.log(`    + ${extra.intent} (${extra.via ?? '?'}, ${extra.confidence.toFixed(2)}): ${extra.evidence.replace(/\s+/g, ' ').slice(0, 120)}`);
          }
        }
      });
    }
  }
  if (values.model) await compareWithModel(file, rows);
  if (values.json) console.log(JSON.stringify(report));
}
await composition.store.close();

/**
 * The same rows read with the model where the offline reader is unsure, figures side by side. Both sides
 * are scored on what the bot puts before the customer: the reasons it read and those it only suspects
 * (which it asks about), since a reason only the model found is offered as suspected.
 */
async function compareWithModel(file: string, rows: ReturnType<typeof parseEvaluationRows>): Promise<void> {
  const model = composition.model;
  if (!model) {
    console.error('eval --model: no model configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI)');
    process.exit(2);
  }
  const reasons = reasonTitles(composition.content);
  const read = (text: string) => readWithModel(composition.reader, model, redactSecrets(text), { reasons });
  const offered = (reading: NoticeReading) => [...reading.reasons, ...reading.possible].map((r) => r.intent as string);
  const line = (name: string, offline: number, withModel: number) =>
    console.log(
      `  ${name.padEnd(18)} ${pct(offline).padStart(6)} -> ${pct(withModel).padStart(6)}  (${withModel >= offline ? '+' : ''}${((withModel - offline) * 100).toFixed(1)} points)`,
    );
  console.log(`${file}: reasons read or asked about, offline -> with the model`);
  if (rows.single.length > 0) {
    const labels = rows.single.map((r) => r.label);
    const label = (text: string, reading: NoticeReading) => offered(reading)[0] ?? predictedLabel(composition.understander.understand(text));
    const offline = rows.single.map((row) => label(row.text, composition.reader.read(redactSecrets(row.text))));
    const withModel: string[] = [];
    for (const row of rows.single) withModel.push(label(row.text, await read(row.text)));
    line('accuracy', scorePredictions(labels, offline).accuracy, scorePredictions(labels, withModel).accuracy);
  }
  if (rows.multi.length > 0) {
    const labels = rows.multi.map((r) => r.labels);
    const offline = scoreMulti(
      labels,
      rows.multi.map((row) => offered(composition.reader.read(redactSecrets(row.text)))),
    );
    const readings: string[][] = [];
    for (const row of rows.multi) readings.push(offered(await read(row.text)));
    const withModel = scoreMulti(labels, readings);
    line('exact set', offline.exact, withModel.exact);
    line('reason recall', offline.recall, withModel.recall);
    line('reason precision', offline.precision, withModel.precision);
  }
}

/** Threshold sweep: how accuracy and out-of-scope precision/recall move with the decision thresholds. */
function sweep(rows: Array<{ text: string; label: string }>): void {
  console.log('threshold sweep (minConfidence x ambiguityMargin): accuracy, OOS precision / recall');
  for (const minConfidence of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]) {
    const cells: string[] = [];
    for (const ambiguityMargin of [0, 0.1, 0.2]) {
      const understander = createUnderstander(composition.classifier, { ...DEFAULT_THRESHOLDS, minConfidence, ambiguityMargin });
      const r = scorePredictions(
        rows.map((row) => row.label),
        rows.map((row) => predictedLabel(understander.understand(row.text))),
      );
      cells.push(`${pct(r.accuracy)} ${pct(r.oos.precision)}/${pct(r.oos.recall)}`);
    }
    console.log(`  ${minConfidence.toFixed(2)}  ${cells.join('   ')}`);
  }
}

function printReport(file: string, report: EvaluationReport): void {
  for (const label of report.unknownLabels) console.warn(`warning: label "${label}" is not a rejection reason or ${OUT_OF_SCOPE}; scored as a miss`);
  console.log(`${file}: ${report.n} messages`);
  console.log(`  accuracy           ${pct(report.accuracy)}`);
  console.log(`  macro-F1           ${report.macroF1.toFixed(3)}`);
  console.log(`  in-scope accuracy  ${pct(report.inScopeAccuracy)}`);
  console.log(`  out-of-scope       precision ${pct(report.oos.precision)}, recall ${pct(report.oos.recall)}`);
  console.log('  per label                    precision  recall     F1   n');
  for (const [label, s] of Object.entries(report.perLabel)) {
    console.log(`    ${label.padEnd(26)} ${pct(s.precision).padStart(7)} ${pct(s.recall).padStart(7)} ${s.f1.toFixed(3).padStart(6)} ${String(s.support).padStart(3)}`);
  }
  console.log('  most frequent confusions (gold -> predicted)');
  for (const c of report.confusions.slice(0, 10)) console.log(`    ${c.count}x ${c.gold} -> ${c.predicted}`);
}
