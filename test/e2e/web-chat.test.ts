/** The web chat's JSON API on a real HTTP server (port 0), as the page and `npm start` use it. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp, listen } from '../../src/adapters/web/web-server.js';
import { composeTestBot, createDownStore, silentLogger } from '../helpers/compose-test-bot.js';

let server: Server;
let base: string;
let staffBot: ReturnType<typeof composeTestBot>['bot'];

beforeAll(async () => {
  const { bot, store, outbox } = composeTestBot();
  staffBot = bot;
  server = await listen(createWebApp({ bot, store, logger: silentLogger, outbox }), 0, '127.0.0.1');
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
    ['100 kB of text', { text: 'port rejected because of a freeze on the account. '.repeat(2100) }, /long message/],
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
    const staff = (text: string) => staffBot.handle({ channel: 'terminal', conversationKey: 'terminal:staff:dana', actor: { id: 'dana', displayName: 'Dana' }, text, staffCommand: true });
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
