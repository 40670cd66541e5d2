/**
 * Slack under load, end to end with the real retry policy: a Web API call answered 429 with
 * Retry-After, or 500, is tried again; the customer gets each reply once, none lost, none doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWithFakeSlack, type WithFakeSlack } from '../helpers/start-with-fakes.js';

let slack: WithFakeSlack;
let n = 0;
const ts = () => `1791000${String(++n).padStart(3, '0')}.000100`;
const dm = (channel: string, text: string) => ({ type: 'message', channel_type: 'im', channel, user: 'U0CUSTOMER', text, ts: ts(), event_ts: ts() });

beforeAll(async () => {
  slack = await startWithFakeSlack({}, undefined, { realRetries: true });
});
afterAll(async () => {
  await slack?.stop();
});

const postsIn = (channel: string) => slack.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && (c.response as { ok: boolean }).ok);
const refusedIn = (channel: string) => slack.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && !(c.response as { ok: boolean }).ok);

describe('Slack answering 429 and 500', () => {
  it.each([
    ['429 with Retry-After: 1', { status: 429 as const, retryAfter: 1 }, 'D0LIMITED'],
    ['500', { status: 500 as const }, 'D0SERVERERR'],
  ])('GIVEN chat.postMessage answers %s once THEN the reply is posted once after a retry, nothing lost or doubled', async (_what, how, channel) => {
    slack.fake.refuseNext('chat.postMessage', how);
    const res = await slack.slack.event(dm(channel, 'my google voice port was rejected'), { eventId: `EvFault${++n}` });
    expect(res.status).toBe(200);
    const posted = await eventually(
      () => postsIn(channel).length >= 2 && postsIn(channel),
      `the replies in ${channel}`,
      () =>
        JSON.stringify(slack.fake.calls.map((c) => [c.method, c.params.channel, (c.response as any).ok, (c.response as any).error])) +
        JSON.stringify(slack.logger.lines.filter((l) => l.level !== 'debug').slice(-4)),
      8000,
    );
    expect(refusedIn(channel)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const texts = postsIn(channel).map((p) => String(p.params.text));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.join('\n')).toMatch(/Google Voice/);
    expect(posted.every((p) => p.params.channel === channel)).toBe(true);
  });
});
