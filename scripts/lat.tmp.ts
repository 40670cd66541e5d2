import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const store = process.argv[2] ?? 'memory://';
const child = spawn(process.execPath, ['dist/main.js'], { env: { ...process.env, PORT: '0', PORTPILOT_STORE_URL: store, LOG_LEVEL: process.env.LL ?? 'info', PORTPILOT_RATE_LIMIT_PER_MINUTE: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
const url: string = await new Promise((res) => { let b = ''; child.stdout!.on('data', (c) => { b += c; const m = /"url":"(http:[^"]+)"/.exec(b); if (m) { child.stdout!.removeAllListeners('data'); child.stdout!.resume(); res(m[1]!); } }); });
function call(path: string, body?: string): Promise<void> { return new Promise((res, rej) => { const r = request(url + path, { method: body ? 'POST' : 'GET', agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (s) => { s.resume(); s.on('end', () => res()); }); r.on('error', rej); r.end(body); }); }
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p / 100 * v.length)]!;
async function measure(name: string, fn: (i: number) => Promise<void>, n = 2000) { const s: number[] = []; for (let i = 0; i < n; i++) { const t = performance.now(); await fn(i); s.push(performance.now() - t); } const m = s.slice(300); console.log(name, 'p50', pct(m, 50).toFixed(2), 'p99', pct(m, 99).toFixed(2)); }
const SCRIPT = ['my port was rejected, the carrier says the pilot number of the hunt group is being ported','312-555-0114, 312-555-0115, 312-555-0116','thanks','what is a pilot number?','hello','my port got rejected because of a freeze on the account'];
await measure('readyz', () => call('readyz'));
await measure('hello same conv', (i) => call('api/messages', JSON.stringify({ conversationId: 'same-conversation-1', text: 'hello' })));
await measure('script', (i) => call('api/messages', JSON.stringify({ conversationId: `c-${Math.floor(i / 6)}-xxxxxxxx`, text: SCRIPT[i % 6] })));
child.kill();
