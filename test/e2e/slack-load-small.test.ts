/**
 * The small version of `npm run load`'s Slack part: many customers' DMs at once through the signed
 * endpoint, half of them delivered twice as Slack retries do; every customer gets the answer once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithFakeSlack, type WithFakeSlack } from '../helpers/start-with-fakes.js';

let slack: WithFakeSlack;
beforeAll(async () => {
  slack = await startWithFakeSlack();
});
afterAll(async () => {
  await slack?.stop();
});

describe('Slack under a burst of customers', () => {
  it('GIVEN 40 customers writing at once, half delivered twice THEN each gets the answer exactly once: none lost, none doubled', async () => {
    const dm = (i: number) => `D0BURST${String(i).padStart(3, '0')}`;
    const event = (i: number) => {
      const ts = `1793000${String(i).padStart(3, '0')}.000100`;
      return { type: 'message', channel_type: 'im', channel: dm(i), user: `U0BURST${i}`, text: 'my port was rejected, google voice says the number is locked', ts, event_ts: ts };
    };
    // One customer alone first: how many messages one answer takes.
    await slack.slack.event(event(0), { eventId: 'EvBurst0' });
    await slack.fake.waitForCalls('chat.postMessage', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const perAnswer = slack.fake.callsTo('chat.postMessage').length;
    const customers = Array.from({ length: 39 }, (_, i) => i + 1);
    const acks = await Promise.all([
      ...customers.map((i) => slack.slack.event(event(i), { eventId: `EvBurst${i}` })),
      ...customers.filter((i) => i % 2 === 0).map((i) => slack.slack.event(event(i), { eventId: `EvBurst${i}`, retryNum: 1 })),
    ]);
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await slack.fake.waitForCalls('chat.postMessage', perAnswer * 40, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = [0, ...customers].map((i) => slack.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === dm(i)).length);
    expect(counts.filter((n) => n < perAnswer)).toEqual([]);
    expect(counts.filter((n) => n > perAnswer)).toEqual([]);
  }, 30_000);
});
