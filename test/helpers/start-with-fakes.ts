/**
 * The real bot (`startPortpilot`, as `npm start` runs it) wired to a local fake Slack or Discord, with a
 * logger that keeps every line: the shared set-up of the channel end-to-end tests.
 */
import type { ComposeOverrides } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/core/ports.js';
import { startPortpilot, type RunningPortpilot } from '../../src/server.js';
import { APPLICATION_ID, MANAGE_MESSAGES_PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createSlackSender, startFakeSlackApi, type FakeSlackApi, type SlackSender } from '../fakes/fake-slack-api.js';
import { fixedClock } from './compose-test-bot.js';

export interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

export type RecordingLogger = Logger & { lines: LogLine[] };

/** A logger that keeps every line, so tests can wait for one and check that no secret was logged. */
export function createRecordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const SLACK_SIGNING_SECRET = 'portpilotTestSigningSecret42';

export interface WithFakeSlack {
  fake: FakeSlackApi;
  running: RunningPortpilot;
  /** Sends events, commands and clicks to the bot, signed as Slack signs them. */
  slack: SlackSender;
  logger: RecordingLogger;
  stop(): Promise<void>;
}

/** The bot in Slack HTTP mode against a fresh fake Web API; `env` adds or overrides variables. */
export async function startWithFakeSlack(
  env: Record<string, string> = {},
  prepare?: (fake: FakeSlackApi) => void,
  /** Retries of a failed Slack Web API call: none by default, so a fault shows at once; `realRetries` keeps the production policy. */
  options: { realRetries?: boolean; overrides?: ComposeOverrides } = {},
): Promise<WithFakeSlack> {
  const fake = await startFakeSlackApi();
  prepare?.(fake);
  const logger = createRecordingLogger();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PORTPILOT_STORE_URL: 'memory://',
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-0000-test-token',
    SLACK_SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...env,
  });
  const running = await startPortpilot(config, { logger, clock: fixedClock, ...(options.realRetries ? {} : { slackWebApiRetries: 0 }), ...options.overrides });
  const slack = createSlackSender(`${running.url}slack/events`, SLACK_SIGNING_SECRET, fake.responseUrl);
  return { fake, running, slack, logger, stop: () => stopBoth(running, fake) };
}

export interface WithFakeDiscord {
  fake: FakeDiscord;
  running: RunningPortpilot;
  logger: RecordingLogger;
  stop(): Promise<void>;
}

/** The bot with a real discord.js Client against a fresh fake REST API and gateway; `env` adds variables. */
export async function startWithFakeDiscord(env: Record<string, string> = {}, overrides: ComposeOverrides = {}): Promise<WithFakeDiscord> {
  const fake = await startFakeDiscord({ everyonePermissions: MANAGE_MESSAGES_PERMISSIONS });
  const logger = createRecordingLogger();
  const config = loadConfig({
    PORT: '0',
    PORTPILOT_STORE_URL: 'memory://',
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: 'test-token-for-the-local-fake-only',
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
    ...env,
  });
  const running = await startPortpilot(config, { logger, clock: fixedClock, ...overrides });
  return { fake, running, logger, stop: () => stopBoth(running, fake) };
}

async function stopBoth(running: RunningPortpilot, fake: { close(): Promise<void> }): Promise<void> {
  await running.stop();
  await fake.close();
}

/** Polls until `check` holds (at most `timeoutMs`), then returns its value; `state` explains a timeout. */
export async function eventually<T>(check: () => T | undefined | false, what: string, state: () => string = () => '', timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
