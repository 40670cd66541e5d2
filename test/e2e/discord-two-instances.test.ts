/**
 * Two portpilot instances logged in to one (fake) Discord with one token and sharing one SQLite store:
 * without sharding both receive every gateway event, and each message and button press is still
 * answered once; with DISCORD_SHARD_ID / DISCORD_SHARD_COUNT each logs in as its own shard.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startPortpilot, type RunningPortpilot } from '../../src/server.js';
import {
  APPLICATION_ID,
  CUSTOMER,
  MANAGE_MESSAGES_PERMISSIONS,
  componentEvent,
  isCallback,
  messageEvent,
  postsTo,
  startFakeDiscord,
  type FakeDiscord,
} from '../fakes/fake-discord.js';
import { fixedClock, silentLogger } from '../helpers/compose-test-bot.js';

let fake: FakeDiscord;
const instances: RunningPortpilot[] = [];
const storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'portpilot-discord-')), 'state.sqlite')}`;

async function startInstance(env: Record<string, string> = {}): Promise<RunningPortpilot> {
  const config = loadConfig({
    PORT: '0',
    PORTPILOT_STORE_URL: storeUrl,
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: 'test-token-for-the-local-fake-only',
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
    ...env,
  });
  const running = await startPortpilot(config, { logger: silentLogger, clock: fixedClock });
  instances.push(running);
  return running;
}

beforeAll(async () => {
  fake = await startFakeDiscord({ everyonePermissions: MANAGE_MESSAGES_PERMISSIONS });
});

afterAll(async () => {
  for (const running of instances) await running.stop();
  await fake?.close();
});

describe('two instances on one Discord token and one store', () => {
  it('GIVEN both instances receive every event WHEN a customer writes and presses a button THEN each is answered once', async () => {
    await startInstance();
    await startInstance();
    expect(fake.identifiedShards).toHaveLength(2);

    const dm = fake.nextId();
    const before = fake.requests.length;
    fake.dispatch('MESSAGE_CREATE', messageEvent(fake, { channelId: dm, author: CUSTOMER, content: 'my port was rejected, google voice says the number is locked' }));
    await fake.waitForRequest(postsTo(dm));
    await fake.quiet();
    const answers = fake.requests.slice(before).filter(postsTo(dm));
    const offers = answers.filter((r) => r.body?.components?.length > 0);
    // One turn's replies: one offer of choices, not one per instance.
    expect(offers).toHaveLength(1);

    const component = offers[0]!.body.components[0].components[0];
    const interaction = componentEvent(fake, { channelId: dm, user: CUSTOMER, message: offers[0]!.response, customId: component.custom_id });
    fake.dispatch('INTERACTION_CREATE', interaction);
    await fake.waitForRequest(isCallback(interaction));
    await fake.quiet();
    expect(fake.requests.filter(isCallback(interaction))).toHaveLength(1);
    const state = (await instances[0]!.composition.store.get(`conversation:discord:dm:${dm}`)) as { turn: number };
    expect(state.turn).toBe(2);
  });

  it('GIVEN DISCORD_SHARD_ID and DISCORD_SHARD_COUNT WHEN an instance starts THEN it logs in as that shard', async () => {
    const from = fake.identifiedShards.length;
    await startInstance({ DISCORD_SHARD_ID: '1', DISCORD_SHARD_COUNT: '2' });
    expect(fake.identifiedShards.slice(from)).toEqual([[1, 2]]);
  });
});
