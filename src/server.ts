/**
 * Starts the long-running bot: composes it, serves the web chat and JSON API on the one HTTP port,
 * and starts the channel adapters that configuration turns on. `main.ts` calls this; end-to-end
 * tests call it too (on port 0), so they exercise exactly what `npm start` runs.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { createWebApp, listen } from './adapters/web/web-server.js';
import { compose, type ComposeOverrides, type Composition } from './compose.js';
import type { Config } from './config.js';
import type { ChannelAdapter } from './core/ports.js';
import { ConfigError } from './core/errors.js';

/** A store URL for a message: any password in it is left out. */
function describeStoreUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function rootCause(error: unknown): string {
  let e = error as { cause?: unknown; message?: string } | undefined;
  while (e?.cause) e = e.cause as typeof e;
  return e?.message ?? String(error);
}

/** How often open cases are checked against the claim timeout. */
const UNCLAIMED_SWEEP_MS = 60_000;
/** How often due reminders are looked for. */
const REMINDER_SWEEP_MS = 60_000;
/** How often expired rows are removed from the store. */
const PURGE_EVERY_MS = 10 * 60_000;

export interface RunningPortpilot {
  composition: Composition;
  server: Server;
  /** Base URL of the HTTP port, ending in "/". */
  url: string;
  channels: ChannelAdapter[];
  stop(): Promise<void>;
}

export async function startPortpilot(config: Config, overrides: ComposeOverrides = {}): Promise<RunningPortpilot> {
  const metrics = createPrometheusMetrics();
  const composition = compose(config, {
    observeStore: (store) => metrics.instrumentStore(store),
    onModelCall: (call) => metrics.recordModelCall(call),
    onCaseOpened: (file) => metrics.recordHandoff(file),
    ...overrides,
  });
  const { store, logger } = composition;
  // A store that cannot be written stops start-up here, before anyone is told the bot is ready.
  await store.probe().catch(async (error: unknown) => {
    await store.close().catch(() => undefined);
    throw new ConfigError([
      `PORTPILOT_STORE_URL: the ${store.kind} store at ${describeStoreUrl(config.PORTPILOT_STORE_URL)} cannot be written (${rootCause(error)}). ` +
        'Check the path or address and its permissions, or set PORTPILOT_STORE_URL to another store.',
    ]);
  });
  await store.purgeExpired().catch(() => 0);
  // Every channel talks to the same instrumented bot, so /metrics counts all of them.
  const bot = metrics.instrument(composition.bot);
  let stopping = false;
  const app = createWebApp({
    bot,
    store,
    logger,
    metrics,
    isReady: () => !stopping,
    rateLimitPerMinute: config.PORTPILOT_RATE_LIMIT_PER_MINUTE,
    title: config.PORTPILOT_CHAT_TITLE,
    embedOrigins: config.PORTPILOT_EMBED_ORIGINS,
  });
  const channels: ChannelAdapter[] = [];

  // Channel adapters: each is created only when its configuration is present.
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    // Loaded only when configured, so a start without Slack does not load Bolt.
    const { createSlackAdapter } = await import('./adapters/slack/slack-adapter.js');
    channels.push(
      createSlackAdapter({
        bot,
        store,
        logger,
        httpApp: app,
        botToken: config.SLACK_BOT_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        webApiRetries: overrides.slackWebApiRetries,
        staff: { outbox: composition.outbox, usergroupIds: config.PORTPILOT_STAFF_SLACK_USERGROUP_IDS, channel: config.PORTPILOT_STAFF_SLACK_CHANNEL },
      }),
    );
  }
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    // Loaded only when configured, so a start without Discord does not load discord.js.
    const { createDiscordAdapter } = await import('./adapters/discord/discord-adapter.js');
    channels.push(
      createDiscordAdapter({
        bot,
        store,
        logger,
        content: composition.content,
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        apiUrl: config.DISCORD_API_URL,
        shard: config.DISCORD_SHARD_ID !== undefined && config.DISCORD_SHARD_COUNT !== undefined ? { id: config.DISCORD_SHARD_ID, count: config.DISCORD_SHARD_COUNT } : undefined,
        conversationTtlMs: config.PORTPILOT_CONVERSATION_TTL_HOURS * 3600_000,
        staff: { outbox: composition.outbox, channelId: config.PORTPILOT_STAFF_DISCORD_CHANNEL },
      }),
    );
  }

  const server = await listen(app, config.PORT, config.HOST);
  // Customers whose case nobody claimed in time are told what to expect, even if they don't write again.
  const sweep = setInterval(() => {
    composition.handoff.sweepUnclaimed().catch((err: unknown) => logger.error({ err }, 'unclaimed-case sweep failed'));
  }, UNCLAIMED_SWEEP_MS);
  sweep.unref();
  // Reminders due are sent on the customer's channel; each goes out once across instances.
  const reminderSweep = setInterval(() => {
    composition.reminders.sendDue(new Date()).catch((err: unknown) => logger.error({ err }, 'reminder sweep failed'));
  }, REMINDER_SWEEP_MS);
  reminderSweep.unref();
  // The embedded store keeps expired rows until they are purged (keyv expires a row only when read).
  const purge = setInterval(() => {
    store
      .purgeExpired()
      .then((removed) => removed > 0 && logger.info({ removed }, 'expired rows purged'))
      .catch((err: unknown) => logger.error({ err }, 'purging expired rows failed'));
  }, PURGE_EVERY_MS);
  purge.unref();
  const port = (server.address() as AddressInfo).port;
  for (const channel of channels) await channel.start();

  return {
    composition,
    server,
    url: `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}/`,
    channels,
    async stop() {
      stopping = true;
      clearInterval(sweep);
      clearInterval(purge);
      clearInterval(reminderSweep);
      for (const channel of channels) await channel.stop().catch((err: unknown) => logger.error({ err, channel: channel.name }, 'channel stop failed'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await store.close();
    },
  };
}
