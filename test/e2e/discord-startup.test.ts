/**
 * Discord start-up checks: the privileged Message Content intent and the application id, each
 * reported with exactly what to do. A real discord.js Client against the local fake Discord.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { ChannelAdapter, Logger } from '../../src/core/ports.js';
import { APPLICATION_ID, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { composeTestBot } from '../helpers/compose-test-bot.js';

const MESSAGE_CONTENT_STEPS = 'Developer Portal > your app > Bot > Privileged Gateway Intents > Message Content Intent';

let fake: FakeDiscord | undefined;
let adapter: ChannelAdapter | undefined;
afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

function recordingLogger(lines: string[]): Logger {
  const record = (_obj: object, msg?: string) => void lines.push(msg ?? '');
  return { debug: record, info: record, warn: record, error: record };
}

function adapterFor(discord: FakeDiscord, logger: Logger, applicationId = APPLICATION_ID): ChannelAdapter {
  const { bot, store, content } = composeTestBot();
  return createDiscordAdapter({
    bot,
    store,
    logger,
    content,
    token: 'test-token-for-the-local-fake-only',
    applicationId,
    apiUrl: discord.apiUrl,
    conversationTtlMs: 3600_000,
    readyTimeoutMs: 5000,
  });
}

describe('Discord start-up checks', () => {
  it('GIVEN the portal has the Message Content intent off THEN start-up logs exactly where to enable it', async () => {
    fake = await startFakeDiscord({ applicationFlags: 0 });
    const lines: string[] = [];
    adapter = adapterFor(fake, recordingLogger(lines));
    await adapter.start();
    expect(lines.some((line) => line.includes(MESSAGE_CONTENT_STEPS))).toBe(true);
  });

  it('GIVEN Discord refuses the intent (close code 4014) THEN start fails naming the fix', async () => {
    fake = await startFakeDiscord({ closeCodeOnIdentify: 4014 });
    adapter = adapterFor(fake, recordingLogger([]));
    await expect(adapter.start()).rejects.toThrow(MESSAGE_CONTENT_STEPS);
  });

  it('GIVEN a token of another application THEN start-up warns that commands will not match', async () => {
    fake = await startFakeDiscord();
    const lines: string[] = [];
    adapter = adapterFor(fake, recordingLogger(lines), '123456789012345678');
    await adapter.start();
    expect(lines.some((line) => /different application than DISCORD_APPLICATION_ID/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes(MESSAGE_CONTENT_STEPS))).toBe(false);
  });
});
