import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
const c = await compose(loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } }));
const SCRIPT = ['my port was rejected, the carrier says the pilot number of the hunt group is being ported','312-555-0114, 312-555-0115, 312-555-0116','thanks','what is a pilot number?','hello','my port got rejected because of a freeze on the account'];
for (const t of SCRIPT) { let s = performance.now(); for (let i = 0; i < 2000; i++) c.reader.read(t); console.log(((performance.now() - s) / 2000).toFixed(3), 'ms read', t.slice(0, 30)); }
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p / 100 * v.length)]!;
const per: number[][] = SCRIPT.map(() => []);
for (let i = 0; i < 6000; i++) { const s = performance.now(); await c.bot.handle({ channel: 'web', conversationId: `c-${Math.floor(i / 6)}-xxxxxx`, userId: 'u', text: SCRIPT[i % 6]! } as any); per[i % 6]!.push(performance.now() - s); }
per.forEach((v, i) => console.log('turn', i, 'p50', pct(v.slice(200), 50).toFixed(3)));
process.exit(0);
