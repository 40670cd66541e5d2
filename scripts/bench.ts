/**
 * `npm run bench [-- FILE [MORE_FILES...]]`: speed and memory figures, printed (never asserted in tests).
 * FILE (default: test/fixtures/holdout-v2.jsonl) is measured in full; further files, by default the shared
 * yardstick ../shared/eval/dev.jsonl when it exists, are scored for accuracy only, for both classifiers.
 * - start-up training time of the classifier (median of 5)
 * - classification latency p50/p99 and throughput on one core, over the held-out set
 * - the notice reader (every reason of a notice, clause by clause) on the multi-reason sets: latency and set scores
 * - NLP.js (@nlpjs/nlp) trained on the same intents/ examples and scored on the same set, side by side
 * - resident memory of the whole bot process (`node dist/main.js`, as `npm start` runs it) after 300 web turns
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compose, PROJECT_ROOT } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { isRejectionId, OUT_OF_SCOPE } from '../src/content/ids.js';
import { trainClassifier, trainingSetFrom } from '../src/nlu/classifier.js';
import { parseEvaluationRows, parseLabelledRows, predictedLabel, scoreMulti, scorePredictions } from '../src/nlu/evaluation.js';

const file = process.argv[2] ?? join(PROJECT_ROOT, 'test/fixtures/holdout-v2.jsonl');
const rows = parseLabelledRows(readFileSync(file, 'utf8'));
// Further labelled sets scored for accuracy only (both classifiers); by default the shared yardstick when it is beside the project.
const sharedYardstick = join(PROJECT_ROOT, '../shared/eval/dev.jsonl');
const otherFiles = process.argv.length > 3 ? process.argv.slice(3) : process.argv[2] === undefined && existsSync(sharedYardstick) ? [sharedYardstick] : [];
const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } });
const { content, understander, reader, store } = compose(config, { logFd: 2 });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// --- start-up training ---
const trainingTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  trainClassifier(trainingSetFrom(content));
  trainingTimes.push(performance.now() - started);
}

// --- portpilot latency and accuracy ---
function measure(classify: (text: string) => unknown, rounds: number): { p50: number; p99: number; perSecond: number } {
  for (const row of rows) classify(row.text); // warm-up
  const samples: number[] = [];
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const row of rows) {
      const t = performance.now();
      classify(row.text);
      samples.push(performance.now() - t);
    }
  }
  const elapsed = performance.now() - started;
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: samples.length / (elapsed / 1000) };
}
const ours = measure((text) => understander.understand(text), 20);
const ourReport = scorePredictions(
  rows.map((r) => r.label),
  rows.map((r) => predictedLabel(understander.understand(r.text))),
);

// --- the notice reader on multi-reason notices ---
const multiFiles = ['multi-holdout', 'multi-holdout-2', 'multi-tuning', 'multi-tuning-2', 'multi-tuning-3']
  .map((f) => `test/fixtures/${f}.jsonl`)
  .map((f) => join(PROJECT_ROOT, f));
const multiRows = multiFiles.flatMap((f) => parseEvaluationRows(readFileSync(f, 'utf8')).multi);
const multiSets = multiFiles.map((f) => {
  const set = parseEvaluationRows(readFileSync(f, 'utf8')).multi;
  return {
    file: f,
    report: scoreMulti(
      set.map((r) => r.labels),
      set.map((r) => reader.read(r.text).reasons.map((x) => x.intent as string)),
    ),
  };
});
for (const row of multiRows) reader.read(row.text); // warm-up
const readerSamples: number[] = [];
for (let r = 0; r < 5; r++) {
  for (const row of multiRows) {
    const t = performance.now();
    reader.read(row.text);
    readerSamples.push(performance.now() - t);
  }
}
readerSamples.sort((a, b) => a - b);

// --- NLP.js on the same examples ---
const { containerBootstrap } = await import('@nlpjs/core');
const { Nlp } = await import('@nlpjs/nlp');
const { LangEn } = await import('@nlpjs/lang-en-min');
const container = await containerBootstrap();
// NLP.js logs every training epoch unless its NLU configuration says otherwise; register ours first.
container.registerConfiguration(
  'nlu-??',
  { log: false, keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: false, spellCheckDistance: 1, filterZeros: true },
  true,
);
container.use(Nlp);
container.use(LangEn);
const nlp = container.get('nlp');
nlp.settings.autoSave = false;
nlp.addLanguage('en');
for (const intent of content.intents.values()) for (const example of intent.examples) nlp.addDocument('en', example, intent.id);
const nlpStarted = performance.now();
await nlp.train();
const nlpTrainingMs = performance.now() - nlpStarted;
const nlpLabel = (intent: string) => (isRejectionId(intent) ? intent : OUT_OF_SCOPE);
const nlpPredictions: string[] = [];
for (const row of rows) nlpPredictions.push(nlpLabel((await nlp.process('en', row.text)).intent));
const nlpReport = scorePredictions(
  rows.map((r) => r.label),
  nlpPredictions,
);
const otherSets: Array<{ file: string; n: number; ours: number; theirs: number }> = [];
for (const other of otherFiles) {
  const otherRows = parseLabelledRows(readFileSync(other, 'utf8'));
  const gold = otherRows.map((r) => r.label);
  const theirPredictions: string[] = [];
  for (const row of otherRows) theirPredictions.push(nlpLabel((await nlp.process('en', row.text)).intent));
  otherSets.push({
    file: other,
    n: otherRows.length,
    ours: scorePredictions(
      gold,
      otherRows.map((r) => predictedLabel(understander.understand(r.text))),
    ).accuracy,
    theirs: scorePredictions(gold, theirPredictions).accuracy,
  });
}
const nlpSamples: number[] = [];
const nlpLoopStarted = performance.now();
for (let r = 0; r < 3; r++) {
  for (const row of rows) {
    const t = performance.now();
    await nlp.process('en', row.text);
    nlpSamples.push(performance.now() - t);
  }
}
const nlpElapsed = performance.now() - nlpLoopStarted;
nlpSamples.sort((a, b) => a - b);
const theirs = { p50: percentile(nlpSamples, 50), p99: percentile(nlpSamples, 99), perSecond: nlpSamples.length / (nlpElapsed / 1000) };
await store.close();

// --- whole bot process memory ---
const memory = await measureBotProcess();

const ms = (x: number) => `${x.toFixed(3)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`portpilot benchmark on ${file} (${rows.length} messages), node ${process.version}, one core`);
console.log('');
console.log('                               portpilot        NLP.js   ratio');
console.log(
  `  accuracy                   ${pct(ourReport.accuracy).padStart(10)} ${pct(nlpReport.accuracy).padStart(13)}   ${((ourReport.accuracy - nlpReport.accuracy) * 100).toFixed(1)} points`,
);
console.log(`  macro-F1                   ${ourReport.macroF1.toFixed(3).padStart(10)} ${nlpReport.macroF1.toFixed(3).padStart(13)}`);
console.log(
  `  out-of-scope P / R         ${`${pct(ourReport.oos.precision)}/${pct(ourReport.oos.recall)}`.padStart(10)} ${`${pct(nlpReport.oos.precision)}/${pct(nlpReport.oos.recall)}`.padStart(13)}`,
);
console.log(`  latency p50                ${ms(ours.p50).padStart(10)} ${ms(theirs.p50).padStart(13)}   ${(theirs.p50 / ours.p50).toFixed(1)}x faster`);
console.log(`  latency p99                ${ms(ours.p99).padStart(10)} ${ms(theirs.p99).padStart(13)}   ${(theirs.p99 / ours.p99).toFixed(1)}x faster`);
console.log(
  `  throughput (msg/s)         ${ours.perSecond.toFixed(0).padStart(10)} ${theirs.perSecond.toFixed(0).padStart(13)}   ${(ours.perSecond / theirs.perSecond).toFixed(1)}x`,
);
console.log(`  training                   ${`${median(trainingTimes).toFixed(0)} ms`.padStart(10)} ${`${nlpTrainingMs.toFixed(0)} ms`.padStart(13)}`);
for (const other of otherSets) {
  console.log(
    `  accuracy on ${relative(PROJECT_ROOT, other.file)} (${other.n}): ${pct(other.ours)} vs ${pct(other.theirs)}, ${((other.ours - other.theirs) * 100).toFixed(1)} points`,
  );
}
console.log('');
console.log(`  notice reader, ${multiRows.length} multi-reason notices: latency p50 ${ms(percentile(readerSamples, 50))}, p99 ${ms(percentile(readerSamples, 99))}`);
for (const set of multiSets) {
  console.log(`  ${relative(PROJECT_ROOT, set.file)} (${set.report.n}): exact ${pct(set.report.exact)}, recall ${pct(set.report.recall)}, precision ${pct(set.report.precision)}`);
}
console.log('');
console.log(`  bot process RSS after start-up   ${memory.startRssMb.toFixed(1)} MB`);
console.log(`  bot process RSS after ${memory.turns} turns  ${memory.rssMb.toFixed(1)} MB (peak ${memory.peakMb.toFixed(1)} MB)`);
console.log('');
console.log('targets: p99 < 1 ms, training < 1000 ms, RSS < 150 MB, accuracy >= NLP.js + 10 points; notice reader p99 < 10 ms');
process.exit(0);

/** Starts the real compiled bot (as `npm start` does, minus npm), drives it over HTTP, reads its RSS from /proc. */
async function measureBotProcess(): Promise<{ startRssMb: number; rssMb: number; peakMb: number; turns: number }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /"url":"(http:[^"]+)"/.exec(buffer);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`bot exited early (${code})`)));
      setTimeout(() => reject(new Error('bot did not start in 30 s')), 30_000).unref();
    });
    const readRss = () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    };
    const start = readRss();
    const turns = 300;
    for (let i = 0; i < turns; i++) {
      const row = rows[i % rows.length]!;
      await fetch(`${url}api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: `bench-${i % 50}-abcdef`, text: row.text }),
      });
    }
    const end = readRss();
    return { startRssMb: start.rss, rssMb: end.rss, peakMb: end.peak, turns };
  } finally {
    child.kill('SIGTERM');
  }
}
