/**
 * `npm run load`: the compiled bot (as `npm start` runs it) under load on each persistent store, over
 * HTTP, and two instances sharing one store. Prints figures; asserts nothing (tests do that).
 *
 *   - floors: the web layer in front of a bot that answers at once (scripts/instant-bot-server.ts),
 *     and the bot without HTTP in this process (memory and each store): where a turn's time goes
 *   - single stream: one conversation after another, one turn at a time: p50 / p99 per turn, after a
 *     warm-up the JIT needs
 *   - 200 concurrent conversations on one instance: turns per second
 *   - two instances on one store: 50 parallel hand-offs in the queue, 20 parallel messages of one
 *     customer kept, one button pressed on both accepted once
 *   - kill -9 mid-walkthrough: the customer continues at the same question
 *
 * Redis figures are printed when a Redis answers at PORTPILOT_TEST_REDIS_URL (default
 * redis://127.0.0.1:6379/0); each run uses its own key namespace... of one database, so do not point
 * it at a production Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { openStore } from '../src/adapters/store/open-store.js';
import { compose, PROJECT_ROOT } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { createCaseStore } from '../src/handoff/case-store.js';
import { redisAnswers, REDIS_URL } from '../test/helpers/stores.js';
import { createSlackSender, startFakeSlackApi } from '../test/fakes/fake-slack-api.js';

const SLACK_SECRET = 'portpilotLoadSigningSecret1';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Instance {
  url: string;
  child: ChildProcess;
}

async function startInstance(storeUrl: string, extraEnv: Record<string, string> = {}, args = ['dist/main.js']): Promise<Instance> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', PORTPILOT_STORE_URL: storeUrl, LOG_LEVEL: 'info', PORTPILOT_RATE_LIMIT_PER_MINUTE: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(buffer);
      if (match) {
        // From here on the bot's log lines (one per turn, as in production) are read and dropped.
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`bot exited early (${code})`)));
    setTimeout(() => reject(new Error('bot did not start in 30 s')), 30_000).unref();
  });
  return { url, child };
}

async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((done) => instance.child.once('exit', done));
  instance.child.kill(signal);
  await exited;
}

interface Turn {
  replies: Array<{ kind: string; text?: string; choices?: Array<{ id: string; label: string }> }>;
  press: string | null;
  escalation: { id: string } | null;
}

async function post(instance: Instance, conversationId: string, body: { text: string } | { choice: string }): Promise<Turn> {
  const payload = JSON.stringify({ conversationId, ...body });
  return new Promise((resolve, reject) => {
    const req = request(
      `${instance.url}api/messages`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
          resolve(JSON.parse(Buffer.concat(chunks).toString()) as Turn);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** One customer's conversation: a notice, answers, the summary. */
const SCRIPT = [
  'my port was rejected, the carrier says the pilot number of the hunt group is being ported',
  '312-555-0114, 312-555-0115, 312-555-0116',
  'thanks',
  'what is a pilot number?',
  'hello',
  'my port got rejected because of a freeze on the account',
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** Turns before this many are not measured: the JIT is still compiling the bot's hot paths. */
const WARM_UP_TURNS = 1000;

/** One conversation after another, each the whole script, one turn at a time (ids unique to this run). */
async function singleStream(instance: Instance, turns: number): Promise<{ p50: number; p99: number }> {
  const run = randomUUID().slice(0, 6);
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP_TURNS + turns; i++) {
    const started = performance.now();
    await post(instance, `single-${run}-${Math.floor(i / SCRIPT.length)}`, { text: SCRIPT[i % SCRIPT.length]! });
    if (i >= WARM_UP_TURNS) samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The same turns without HTTP: the bot composed in this process, `bot.handle` timed alone. */
async function inProcess(storeUrl: string, turns: number): Promise<{ p50: number; p99: number }> {
  const composition = compose(loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: storeUrl } }));
  const run = randomUUID().slice(0, 6);
  const samples: number[] = [];
  try {
    for (let i = 0; i < WARM_UP_TURNS + turns; i++) {
      const conversationKey = `web:inproc-${run}-${Math.floor(i / SCRIPT.length)}`;
      const started = performance.now();
      await composition.bot.handle({ channel: 'web', conversationKey, actor: { id: conversationKey }, text: SCRIPT[i % SCRIPT.length]! });
      if (i >= WARM_UP_TURNS) samples.push(performance.now() - started);
    }
  } finally {
    await composition.store.close();
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** How long turns took inside the bot, from its own turn-duration histogram. */
async function serverSide(instance: Instance): Promise<{ under1: string; under5: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    request(`${instance.url}metrics`, { agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
  const bucket = (le: string) => Number(new RegExp(`portpilot_turn_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}",channel="web"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const count = bucket('+Inf') || 1;
  return { under1: ((100 * bucket('0.001')) / count).toFixed(0), under5: ((100 * bucket('0.005')) / count).toFixed(0) };
}

/** Opens `count` keep-alive connections to the bot (one GET /readyz on each, all at once), left in the agent's pool. */
async function openConnections(instance: Instance, count: number): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          request(`${instance.url}readyz`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          })
            .on('error', reject)
            .end();
        }),
    ),
  );
}

async function concurrent(instance: Instance, conversations: number, seconds: number): Promise<{ perSecond: number; p99: number }> {
  // The connections are opened before the clock starts: a burst of 200 connects to a busy process
  // measures its accept queue, not its turns.
  await openConnections(instance, conversations);
  const deadline = performance.now() + seconds * 1000;
  let turns = 0;
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const started = performance.now();
        await post(instance, `load-${c}-${Math.floor(i / SCRIPT.length)}-conversation`, { text: SCRIPT[i % SCRIPT.length]! });
        samples.push(performance.now() - started);
        turns++;
      }
    }),
  );
  return { perSecond: turns / seconds, p99: percentile(samples, 99) };
}

async function twoInstances(storeUrl: string, namespace: string | undefined): Promise<string[]> {
  const [a, b] = [await startInstance(storeUrl), await startInstance(storeUrl)];
  const lines: string[] = [];
  try {
    const run = randomUUID().slice(0, 6);
    const handoffs = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 ? b : a, `person-${run}-${i}`, { text: 'I want to talk to a human please' })));
    const store = openStore({ url: storeUrl, logger: silent, ...(namespace ? { namespace } : {}) });
    const queued = new Set((await createCaseStore(store).list()).map((c) => c.id));
    const inQueue = handoffs.filter((h) => h.escalation && queued.has(h.escalation.id)).length;
    lines.push(`50 parallel hand-offs across two instances: ${inQueue} of 50 in the staff queue`);

    const burst = `burst-${run}-customer`;
    await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? b : a, burst, { text: `message number ${i + 1} about my port` })));
    const state = (await store.get(`conversation:web:${burst}`)) as { turn?: number } | undefined;
    lines.push(`20 parallel messages of one customer across two instances: ${state?.turn ?? 0} of 20 turns kept`);

    const press = `press-${run}-customer`;
    const opened = await post(a, press, { text: 'my port was rejected because the number is locked in google voice' });
    const choice = opened.replies.flatMap((r) => r.choices ?? [])[0]!;
    const presses = await Promise.all([a, b, a, b].map((instance) => post(instance, press, { choice: choice.id })));
    lines.push(`one button pressed 4 times at once on two instances: accepted ${presses.filter((p) => p.press === 'accepted').length} time(s)`);
    await store.close();
  } finally {
    await stopInstance(a);
    await stopInstance(b);
  }
  return lines;
}

async function killMidWalkthrough(storeUrl: string): Promise<string> {
  let instance = await startInstance(storeUrl);
  const conversation = `kill-${randomUUID().slice(0, 6)}-customer`;
  let continued = 0;
  const rounds = 5;
  try {
    for (let round = 0; round < rounds; round++) {
      const key = `${conversation}-${round}`;
      await post(instance, key, { text: 'my port was rejected, the carrier says the pilot number of the hunt group is being ported' });
      const before = await post(instance, key, { text: '312-555-0114, 312-555-0115, 312-555-0116' });
      const question = before.replies.at(-1)?.text ?? '';
      await stopInstance(instance, 'SIGKILL');
      instance = await startInstance(storeUrl);
      const after = await post(instance, key, { text: 'what?' });
      if (after.replies.some((r) => r.text === question)) continued++;
    }
  } finally {
    await stopInstance(instance);
  }
  return `kill -9 after an answer, then a restart: ${continued} of ${rounds} customers continued at the same question`;
}

/**
 * Slack: many customers' DMs at once through the signed `/slack/events` endpoint, half of them delivered
 * twice (Slack's retries), against the local fake Slack Web API. Every customer must get the answer
 * once: replies lost and replies doubled are counted.
 */
async function slackLoad(storeUrl: string, customers: number): Promise<string> {
  const fake = await startFakeSlackApi();
  const instance = await startInstance(storeUrl, { SLACK_BOT_TOKEN: 'xoxb-0000-load-token', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl });
  try {
    const sender = createSlackSender(`${instance.url}slack/events`, SLACK_SECRET, fake.responseUrl);
    const acks: number[] = [];
    const run = randomUUID().slice(0, 6);
    const channels = Array.from({ length: customers }, (_, i) => `D${run}${i}`.toUpperCase());
    // One customer first, alone: how many messages one answer takes.
    const send = async (channel: string, i: number, retry?: number) => {
      const ts = `1792${String(i).padStart(6, '0')}.000100`;
      const started = performance.now();
      const res = await sender.event(
        { type: 'message', channel_type: 'im', channel, user: `U${run}${i}`.toUpperCase(), text: 'my port was rejected, google voice says the number is locked', ts, event_ts: ts },
        { eventId: `Ev${run}${i}`, ...(retry !== undefined ? { retryNum: retry } : {}) },
      );
      acks.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`Slack endpoint answered ${res.status}`);
    };
    await send(channels[0]!, 0);
    await fake.waitForCalls('chat.postMessage', 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const perAnswer = fake.callsTo('chat.postMessage').length;
    const started = performance.now();
    await Promise.all(channels.slice(1).map((channel, i) => send(channel, i + 1)));
    await Promise.all(
      channels
        .slice(1)
        .filter((_, i) => i % 2 === 0)
        .map((channel, i) => send(channel, i * 2 + 1, 1)),
    );
    const deadline = Date.now() + 30_000;
    while (fake.callsTo('chat.postMessage').length < perAnswer * customers && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const seconds = (performance.now() - started) / 1000;
    const posts = new Map<string, number>();
    for (const call of fake.callsTo('chat.postMessage')) posts.set(String(call.params.channel), (posts.get(String(call.params.channel)) ?? 0) + 1);
    const lost = channels.filter((c) => (posts.get(c) ?? 0) < perAnswer).length;
    const doubled = channels.filter((c) => (posts.get(c) ?? 0) > perAnswer).length;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${instance.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    return (
      `Slack, ${customers} customers' DMs at once (half delivered twice): ack p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms; ` +
      `${((customers - 1) / seconds).toFixed(0)} answers/s; lost ${lost}, doubled ${doubled}; bot RSS ${rss.toFixed(0)} MB`
    );
  } finally {
    await stopInstance(instance);
    await fake.close();
  }
}

async function main(): Promise<void> {
  const stores: Array<{ name: string; url: string; namespace?: string }> = [
    { name: 'sqlite', url: `sqlite://${join(mkdtempSync(join(tmpdir(), 'portpilot-load-')), 'state.sqlite')}` },
  ];
  if (await redisAnswers()) stores.push({ name: 'redis', url: REDIS_URL });
  else console.log(`(Redis is not answering at ${REDIS_URL}: Redis figures skipped)`);
  console.log(`portpilot load, node ${process.version}, the compiled bot over HTTP on 127.0.0.1`);
  console.log('');
  console.log('== floors: what a turn costs before the bot reads anything, and the bot without HTTP');
  const instant = await startInstance('memory://', {}, ['--import', 'tsx', 'scripts/instant-bot-server.ts']);
  try {
    const single = await singleStream(instant, 2000);
    const many = await concurrent(instant, 200, 5);
    console.log(
      `  the web layer with a bot that answers at once: p50 ${single.p50.toFixed(2)} ms, p99 ${single.p99.toFixed(2)} ms; 200 concurrent: ${many.perSecond.toFixed(0)} requests/s`,
    );
  } finally {
    await stopInstance(instant);
  }
  for (const store of [{ name: 'memory', url: 'memory://' }, ...stores]) {
    const alone = await inProcess(store.url, 2000);
    console.log(`${`  the bot in one process, no HTTP, ${store.name}:`.padEnd(52)}p50 ${alone.p50.toFixed(2)} ms, p99 ${alone.p99.toFixed(2)} ms per turn`);
  }
  for (const store of stores) {
    console.log('');
    console.log(`== ${store.name} (${store.url.replace(/\/\/[^@/]*@/, '//***@')})`);
    const instance = await startInstance(store.url);
    try {
      const single = await singleStream(instance, 2000);
      console.log(
        `  single stream, 2000 turns (after ${WARM_UP_TURNS}): p50 ${single.p50.toFixed(2)} ms, p99 ${single.p99.toFixed(2)} ms at the client   (targets on SQLite: p50 < 1 ms, p99 < 5 ms)`,
      );
      const inside = await serverSide(instance);
      console.log(`    inside the bot (its /metrics):      ${inside.under1}% of turns under 1 ms, ${inside.under5}% under 5 ms`);
      const many = await concurrent(instance, 200, 10);
      console.log(`  200 concurrent conversations, 10 s:   ${many.perSecond.toFixed(0)} turns/s, p99 ${many.p99.toFixed(1)} ms   (target >= 1,500 turns/s)`);
    } finally {
      await stopInstance(instance);
    }
    for (const line of await twoInstances(store.url, store.namespace)) console.log(`  ${line}`);
    console.log(`  ${await killMidWalkthrough(store.url)}`);
    console.log(`  ${await slackLoad(store.url, 300)}`);
  }
}

await main();
process.exit(0);
