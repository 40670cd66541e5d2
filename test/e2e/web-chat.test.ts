/** The web chat's JSON API on a real HTTP server (port 0), as the page and `npm start` use it. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyResponseSchema, pendingResponseSchema, turnResponseSchema } from '../../src/adapters/web/api-schema.js';
import { createWebApp, listen } from '../../src/adapters/web/web-server.js';
import { EN } from '../../src/dialogue/messages/en.js';
import { ES } from '../../src/dialogue/messages/es.js';
import { composeTestBot, createDownStore, silentLogger } from '../helpers/compose-test-bot.js';

let server: Server;
let base: string;
let staffBot: ReturnType<typeof composeTestBot>['bot'];

beforeAll(async () => {
  const { bot, store } = composeTestBot();
  staffBot = bot;
  server = await listen(createWebApp({ bot, store, logger: silentLogger }), 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(body: unknown, raw?: string) {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

const allText = (json: any) => json.replies.map((r: any) => r.text ?? [r.title, ...(r.steps ?? [])].join('\n')).join('\n');

describe('web chat API', () => {
  it('serves the chat page and a health check', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toMatch(/html/);
    const html = await page.text();
    expect(html).toMatch(/<form id="form">/);
    // Regression: an escape lost in the page's template once broke its whole script.
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(() => new Function(script)).not.toThrow();
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', store: 'ok', kind: 'memory' });
  });

  it('answers a Google Voice rejection with the Google Voice walkthrough and its unlock steps', async () => {
    const { status, json } = await post({ conversationId: 'gv-test-1', text: 'my port was rejected, google voice says the number is locked' });
    expect(status).toBe(200);
    expect(json.intent).toBe('google_voice_unlock');
    expect(json.flow).toBe('google_voice_unlock');
    expect(allText(json)).toMatch(/unlocked for transfer/);
    const personal = json.replies.at(-1).choices.find((c: any) => c.label === 'Personal Google Voice');
    await post({ conversationId: 'gv-test-1', choice: personal.id });
    const notYet = await post({ conversationId: 'gv-test-1', text: 'no' });
    expect(notYet.json.replies.some((r: any) => r.kind === 'steps' && r.steps.some((s: string) => /voice\.google\.com/.test(s)))).toBe(true);
  });

  it('continues the conversation with a button press', async () => {
    const first = await post({ conversationId: 'press-test-1', text: 'google voice rejected my port, number not unlocked' });
    const choice = first.json.replies.at(-1).choices.find((c: any) => c.label === 'Work or school account');
    const second = await post({ conversationId: 'press-test-1', choice: choice.id });
    expect(allText(second.json)).toMatch(/Workspace administrator/);
    expect(second.json.replies.some((r: any) => r.kind === 'summary')).toBe(true);
  });

  it.each([
    ['empty text', { text: '   ' }, /didn't catch any text/],
    ['40 kB of text (over the 20,000 characters read)', { text: 'port rejected because of a freeze on the account. '.repeat(840) }, /long message/],
    ['binary junk', { text: '\u0000\u0001\u0002\ufffd\u0003'.repeat(200) }, /binary data/],
    ['an unknown choice id', { choice: 'no-such-button' }, /nothing to choose|didn't recognise/i],
  ])('answers %s politely and stays up', async (_name, body, expected) => {
    const { status, json } = await post({ conversationId: 'bad-input-1', ...body });
    expect(status).toBe(200);
    expect(allText(json)).toMatch(expected);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers malformed payloads with a clear 400', async () => {
    expect((await post(undefined, '{oops')).json.error).toMatch(/not valid JSON/);
    expect((await post({ text: 'hi' })).json.error).toMatch(/conversationId/);
    expect((await post({ conversationId: 'abcdefgh', text: 'a', choice: 'b' })).status).toBe(400);
  });

  it('never echoes a PIN and warns the customer', async () => {
    const { json } = await post({ conversationId: 'pin-test-1', text: 'Verizon wants a PIN, my transfer pin is 482913' });
    expect(JSON.stringify(json)).not.toContain('482913');
    expect(allText(json)).toMatch(/never type a PIN/);
  });
});

describe('a person from our team in the web chat', () => {
  it('GIVEN a web customer who asks for a person WHEN staff claim and reply THEN the page receives the messages by polling', async () => {
    const asked = await post({ conversationId: 'handoff-web-1', text: 'I want to talk to a person' });
    const caseId = asked.json.escalation.id;
    expect(caseId).toMatch(/^C-/);
    const staff = (text: string) => staffBot.staff({ channel: 'terminal', actor: { id: 'dana', displayName: 'Dana' }, text });
    await staff(`claim ${caseId}`);
    await staff(`reply ${caseId} Hi, Dana here. Which carrier is it?`);
    const quiet = await post({ conversationId: 'handoff-web-1', text: 'Verizon' });
    expect(quiet.json.replies).toHaveLength(0);
    const pending = (await (await fetch(`${base}/api/messages/pending?conversationId=handoff-web-1`)).json()) as any;
    expect(pending.replies.map((r: any) => r.text)).toEqual([expect.stringMatching(/Dana .* has joined/), 'Hi, Dana here. Which carrier is it?']);
    const again = (await (await fetch(`${base}/api/messages/pending?conversationId=handoff-web-1`)).json()) as any;
    expect(again.replies).toEqual([]);
    expect((await fetch(`${base}/api/messages/pending?conversationId=bad`)).status).toBe(400);
  });
});

describe('the page across reloads, and staff messages without polling', () => {
  it('GIVEN a conversation under way WHEN the page asks for it THEN it gets the lines so far and the choices still open', async () => {
    const asked = await post({ conversationId: 'reload-web-1', text: 'my port was rejected, google voice says the number is locked' });
    const offered = asked.json.replies.flatMap((r: any) => r.choices ?? []);
    const history = (await (await fetch(`${base}/api/conversations/reload-web-1`)).json()) as any;
    expect(history.lines[0]).toEqual({ from: 'customer', text: 'my port was rejected, google voice says the number is locked' });
    expect(history.lines.some((l: any) => l.from === 'bot' && /Google Voice/.test(l.text))).toBe(true);
    expect(history.offered).toEqual(offered);
    expect(await (await fetch(`${base}/api/conversations/never-seen-1`)).json()).toEqual({ conversationId: 'never-seen-1', lines: [], offered: [] });
    expect((await fetch(`${base}/api/conversations/bad`)).status).toBe(400);
  });

  it('GIVEN the page waiting (?wait=) WHEN a person replies THEN the wait ends with the reply, not at the next poll', async () => {
    const asked = await post({ conversationId: 'longpoll-web-1', text: 'I want to talk to a person' });
    const caseId = asked.json.escalation.id;
    const staff = (text: string) => staffBot.staff({ channel: 'terminal', actor: { id: 'dana', displayName: 'Dana' }, text });
    await staff(`claim ${caseId}`);
    await fetch(`${base}/api/messages/pending?conversationId=longpoll-web-1`); // the "has joined" message
    const waiting = fetch(`${base}/api/messages/pending?wait=25&conversationId=longpoll-web-1`).then((r) => r.json() as Promise<any>);
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(settled).toBe(false);
    await staff(`reply ${caseId} Hello from Dana.`);
    expect((await waiting).replies.map((r: any) => r.text)).toEqual(['Hello from Dana.']);
  });
});

describe("embedding the web chat on a provider's site", () => {
  const PROVIDER = 'https://support.example.com';
  let embedServer: Server;
  let embedBase: string;
  beforeAll(async () => {
    const { bot, store } = composeTestBot();
    embedServer = await listen(createWebApp({ bot, store, logger: silentLogger, title: 'Acme <Telecom>: port help', embedOrigins: [PROVIDER] }), 0, '127.0.0.1');
    embedBase = `http://127.0.0.1:${(embedServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => embedServer.close(() => resolve())));

  it('GIVEN no embedding configured THEN the page may be framed by itself only', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'(;|$)/);
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await page.text()).toContain('<title>portpilot: fix a rejected port order</title>');
  });

  it('GIVEN a configured origin THEN that site may frame the page, with the configured title, escaped', async () => {
    const page = await fetch(`${embedBase}/`);
    expect(page.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors 'self' ${PROVIDER}(;|$)`));
    expect(page.headers.get('x-frame-options')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<title>Acme &#60;Telecom&#62;: port help</title>');
    expect(html).not.toContain('<Telecom>');
  });

  it('GIVEN the embed script THEN other sites may load it', async () => {
    const script = await fetch(`${embedBase}/embed.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await script.text()).toContain('iframe');
  });

  it('GIVEN an API call from the configured site THEN CORS allows it; from another site THEN it does not', async () => {
    const preflight = await fetch(`${embedBase}/api/messages`, { method: 'OPTIONS', headers: { origin: PROVIDER, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PROVIDER);
    const other = await fetch(`${embedBase}/api/messages`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const fromDefault = await fetch(`${base}/api/messages`, { method: 'OPTIONS', headers: { origin: PROVIDER, 'access-control-request-method': 'POST' } });
    expect(fromDefault.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe("the page in the customer's language", () => {
  it('GIVEN a browser asking for Spanish THEN the page speaks Spanish, from the same message tables; otherwise English', async () => {
    const es = await fetch(`${base}/`, { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
    const html = await es.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain(`>${ES.webSend}</button>`);
    expect(html).toContain(`placeholder="${ES.webPlaceholder}"`);
    expect(JSON.parse(/<script type="application\/json" id="wording">([\s\S]*?)<\/script>/.exec(html)![1]!).webHello).toBe('hola');
    expect(es.headers.get('vary')).toMatch(/Accept-Language/i);
    const en = await (await fetch(`${base}/`, { headers: { 'accept-language': 'de-DE' } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(`>${EN.webSend}</button>`);
  });
});

describe('the API document', () => {
  it('GIVEN real answers of every kind THEN each matches the schema /api/openapi.json is generated from', async () => {
    const turns = [
      await post({ conversationId: 'schema-web-1', text: 'hello' }),
      await post({ conversationId: 'schema-web-1', text: 'my google voice number is locked, the port was rejected' }),
      await post({ conversationId: 'schema-web-1', text: 'my transfer pin is 482913' }),
    ];
    const choice = turns[1]!.json.replies.flatMap((r: any) => r.choices ?? [])[0];
    turns.push(await post({ conversationId: 'schema-web-1', choice: choice.id }));
    for (const turn of turns) expect(turnResponseSchema.safeParse(turn.json).error).toBeUndefined();
    expect(historyResponseSchema.safeParse(await (await fetch(`${base}/api/conversations/schema-web-1`)).json()).error).toBeUndefined();
    expect(pendingResponseSchema.safeParse(await (await fetch(`${base}/api/messages/pending?conversationId=schema-web-1`)).json()).error).toBeUndefined();
  });

  it('GIVEN /api/openapi.json THEN it describes the three endpoints with their request and answer schemas', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/api/messages', '/api/conversations/{conversationId}', '/api/messages/pending']);
    const turn = doc.paths['/api/messages'].post.responses['200'].content['application/json'].schema;
    expect(turn.required).toEqual(expect.arrayContaining(['replies', 'reasons', 'escalation']));
    expect(doc.paths['/api/messages'].post.requestBody.content['application/json'].schema.properties.conversationId.pattern).toBe('^[A-Za-z0-9_-]{8,64}$');
  });
});

describe('web chat HTTP hardening', () => {
  it('GIVEN the chat page THEN it carries security headers and a CSP that allows only its own script and style, by hash', async () => {
    const page = await fetch(`${base}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const api = await post({ conversationId: 'headers-test-1', text: 'hello' });
    expect(api.status).toBe(200);
  });

  it("GIVEN an API answer THEN it carries helmet's security headers and no X-Powered-By", async () => {
    const answer = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'headers-test-2', text: 'hello' }),
    });
    expect(answer.status).toBe(200);
    const expected: Record<string, string | null> = {
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'origin-agent-cluster': '?1',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
      'x-powered-by': null,
    };
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, answer.headers.get(name)]))).toEqual(expected);
    // A POST's answer is never cached: no ETag is computed for it (the page keeps its own).
    expect(answer.headers.get('etag')).toBeNull();
    expect((await fetch(`${base}/`)).headers.get('etag')).not.toBeNull();
    const health = await fetch(`${base}/healthz`);
    expect(health.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GIVEN a body over 64 kB THEN a clear 413, and a notice of a few kB is read', async () => {
    const huge = await post({ conversationId: 'size-test-1', text: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toMatch(/too large/);
    const notice = `REJECTED: LSP FREEZE ON ACCOUNT. ${'Please review the account details and resubmit. '.repeat(80)}`;
    expect((await post({ conversationId: 'size-test-2', text: notice })).status).toBe(200);
  });

  it('GIVEN one conversation sending more than 30 messages in a minute THEN it gets a polite 429, and other conversations are not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await post({ conversationId: 'flood-test-1', text: `hello ${i}` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const limited = await post({ conversationId: 'flood-test-1', text: 'again' });
    expect(limited.json.error).toMatch(/Too many messages in this conversation/);
    expect((await post({ conversationId: 'flood-test-2', text: 'hello' })).status).toBe(200);
  });
});

describe('web chat with the store down', () => {
  it('answers politely and reports degraded health', async () => {
    const { bot } = composeTestBot({ store: createDownStore() });
    const down = await listen(createWebApp({ bot, store: createDownStore(), logger: silentLogger }), 0, '127.0.0.1');
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'down-test-1', text: 'freeze on my account' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).replies[0].text).toMatch(/can't reach my memory/);
      expect((await fetch(`${url}/healthz`)).status).toBe(503);
    } finally {
      await new Promise<void>((resolve) => down.close(() => resolve()));
    }
  });
});
