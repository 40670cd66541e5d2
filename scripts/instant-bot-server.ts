/**
 * For `npm run load`: the web layer the bot answers through (express, its middleware, the JSON API),
 * in front of a bot that answers at once with a typical turn's result. What a request costs before the
 * bot does anything: the floor under every turn the load script measures. Prints its URL as the bot does.
 */
import { openStore } from '../src/adapters/store/open-store.js';
import { createWebApp, listen } from '../src/adapters/web/web-server.js';
import type { Bot } from '../src/bot.js';
import type { TurnResult } from '../src/core/types.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const result = {
  replies: [
    { kind: 'text', text: "It looks like your port order was rejected because: Your number is part of a hunt group. Let's fix it step by step." },
    { kind: 'text', text: 'Which numbers are you moving to your new phone provider? List them all, separated by commas.' },
  ],
  intent: 'hunt_group',
  confidence: 0.99,
  reasons: ['hunt_group'],
  flow: 'hunt_group',
  inputHadSecret: false,
  press: null,
  escalation: null,
} as unknown as TurnResult;
const bot = { handle: async () => result } as unknown as Bot;
const app = createWebApp({ bot, store: openStore({ url: 'memory://', logger: silent }), logger: silent, rateLimitPerMinute: 0 });
const server = await listen(app, 0, '127.0.0.1');
const address = server.address();
console.log(JSON.stringify({ msg: 'instant bot ready', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` }));
