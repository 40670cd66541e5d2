import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
const c = await compose(loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } }));
const files = [...readdirSync('test/fixtures').filter((f) => f.endsWith('.jsonl')).map((f) => 'test/fixtures/' + f), '../shared/eval/dev.jsonl'];
const texts = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text as string));
const ref = new Date('2026-06-01T12:00:00Z');
const out = texts.map((t) => JSON.stringify(c.reader.read(t, { referenceDate: ref })));
let best = Infinity; for (let k = 0; k < 6; k++) { const s2 = performance.now(); for (const t of texts) c.reader.read(t, { referenceDate: ref }); best = Math.min(best, performance.now() - s2); }
console.log(texts.length, 'texts;', (best / texts.length).toFixed(3), 'ms per read (best of 6 passes)');
writeFileSync(process.argv[2]!, out.join('\n'));
process.exit(0);
