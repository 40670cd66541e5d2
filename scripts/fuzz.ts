/**
 * `npm run fuzz [-- --runs N]`: generated input against the bot core (N conversations of up to six
 * messages, default 10,000), the web API's request parsing (N/5 raw requests: malformed JSON, wrong
 * types, huge and binary bodies, forged ids) and the Slack and Discord adapters' parsing and rendering
 * (N inputs per property). Prints figures; exits non-zero on the first property that
 * does not hold, with fast-check's counterexample and seed.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createWebApp, listen } from '../src/adapters/web/web-server.js';
import { composeTestBot, silentLogger } from '../test/helpers/compose-test-bot.js';
import { checkConversation, conversationArbitrary } from '../test/fuzz/bot-properties.js';
import { adapterProperties } from '../test/fuzz/adapter-properties.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
let unhandled = 0;
process.on('unhandledRejection', () => unhandled++);

const { bot, store } = composeTestBot();
let turns = 0;
let conversations = 0;
const started = performance.now();
await fc.assert(
  fc.asyncProperty(conversationArbitrary, async (steps) => {
    turns += steps.length;
    await checkConversation(bot, store, `web:fuzz-${conversations++}`, steps);
  }),
  { numRuns: runs, seed },
);
const coreSeconds = (performance.now() - started) / 1000;

// The web API: raw bodies, as anyone on the network could send them.
const server = await listen(createWebApp({ bot, store, logger: silentLogger, rateLimitPerMinute: 0 }), 0, '127.0.0.1');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
const bodyArbitrary = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.json(),
  fc
    .record({
      conversationId: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant('fuzz-web-conversation')),
      text: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
      choice: fc.option(fc.string({ maxLength: 40 })),
    })
    .map((b) => JSON.stringify(b)),
  fc.integer({ min: 60_000, max: 200_000 }).map((n) => JSON.stringify({ conversationId: 'fuzz-web-huge-1', text: 'x'.repeat(n) })),
);
const statuses = new Map<number, number>();
const webRuns = Math.max(200, Math.floor(runs / 5));
await fc.assert(
  fc.asyncProperty(bodyArbitrary, async (body) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 500) throw new Error(`HTTP ${response.status} for ${body.slice(0, 100)}`);
    const json = (await response.json()) as { error?: string; replies?: unknown[] };
    if (response.status >= 400 && !json.error) throw new Error(`HTTP ${response.status} without an explanation`);
  }),
  { numRuns: webRuns, seed },
);
server.close();

// The Slack and Discord adapters: button values, custom ids, conversation keys, message text, rendering.
const adapterRuns = runs;
for (const [, property] of adapterProperties()) fc.assert(property, { numRuns: adapterRuns, seed });

console.log(`portpilot fuzz, seed ${seed}, node ${process.version}`);
console.log(
  `  bot core: ${conversations} generated conversations, ${turns} turns in ${coreSeconds.toFixed(1)} s: no crash, replies bounded, no live mass mention, no secret echoed or stored, state parses`,
);
console.log(
  `  web API: ${webRuns} raw requests: ${[...statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${n}x ${s}`)
    .join(', ')}; no 5xx, every refusal explained`,
);
console.log(`  Slack and Discord adapters: ${adapterProperties().length} properties x ${adapterRuns} inputs (button values, custom ids, keys, text, rendering limits): all hold`);
console.log(`  unhandled rejections: ${unhandled}`);
process.exit(unhandled > 0 ? 1 : 0);
