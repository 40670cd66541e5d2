/**
 * The Discord gateway dropping mid-conversation (a network failure, no close frame): discord.js
 * reconnects, and the customer's next message continues the walkthrough where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER, messageEvent, postsTo, shownText, type FakeDiscord } from '../fakes/fake-discord.js';
import { startWithFakeDiscord, type WithFakeDiscord } from '../helpers/start-with-fakes.js';

let bot: WithFakeDiscord;
let fake: FakeDiscord;

beforeAll(async () => {
  bot = await startWithFakeDiscord();
  fake = bot.fake;
});
afterAll(async () => {
  await bot?.stop();
});

async function say(channelId: string, content: string) {
  const from = fake.requests.length;
  fake.dispatch('MESSAGE_CREATE', messageEvent(fake, { channelId, author: CUSTOMER, content }));
  await fake.waitForRequest((r) => postsTo(channelId)(r) && fake.requests.indexOf(r) >= from, 8000);
  await fake.quiet();
  return fake.requests
    .slice(from)
    .filter(postsTo(channelId))
    .map((r) => shownText(r.body))
    .join('\n');
}

describe('the Discord gateway drops mid-conversation', () => {
  it('GIVEN a walkthrough under way WHEN the gateway connection drops THEN the bot reconnects and the next answer continues the same walkthrough', async () => {
    const dm = fake.nextId();
    const asked = await say(dm, 'my port was rejected, the carrier says the pilot number of the hunt group is being ported');
    expect(asked).toMatch(/Which numbers are you moving/);
    const before = fake.connections();
    await fake.dropGateway();
    expect(fake.connections()).toBeGreaterThan(before);
    const next = await say(dm, '312-555-0114, 312-555-0115');
    expect(next).not.toMatch(/Which numbers are you moving/);
    const state = (await bot.running.composition.store.get(`conversation:discord:dm:${dm}`)) as { flow: { id: string; slots: Record<string, unknown> } };
    expect(state.flow.id).toBe('hunt_group');
    expect(Object.values(state.flow.slots)).toContainEqual(['(312) 555-0114', '(312) 555-0115']);
  }, 30_000);
});
