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

/** How often open cases are checked against the claim timeout. */
const UNCLAIMED_SWEEP_MS = 60_000;

export interface RunningPortpilot {
  composition: Composition;
  server: Server;
  /** Base URL of the HTTP port, ending in "/". */
  url: string;
  channels: ChannelAdapter[];
  stop(): Promise<void>;
}

export async function startPortpilot(config: Config, overrides: ComposeOverrides = {}): Promise<RunningPortpilot> {
  const composition = compose(config, overrides);
  const { store, logger } = composition;
  // Every channel talks to the same instrumented bot, so /metrics counts all of them.
  const metrics = createPrometheusMetrics();
  const bot = metrics.instrument(composition.bot);
  const app = createWebApp({ bot, store, logger, outbox: composition.outbox, metrics });
  const channels: ChannelAdapter[] = [];

  // Channel adapters: each is created only when its configuration is present.
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    // Loaded only when configured, so a start without Slack does not load Bolt.
    const { createSlackAdapter } = await import('./adapters/slack/slack-adapter.js');
    channels.push(createSlackAdapter({
      bot, store, logger, httpApp: app,
      botToken: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN, apiUrl: config.SLACK_API_URL, webApiRetries: overrides.slackWebApiRetries,
      staff: { outbox: composition.outbox, usergroupIds: config.PORTPILOT_STAFF_SLACK_USERGROUP_IDS, channel: config.PORTPILOT_STAFF_SLACK_CHANNEL },
    }));
  }
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    // Loaded only when configured, so a start without Discord does not load discord.js.
    const { createDiscordAdapter } = await import('./adapters/discord/discord-adapter.js');
    channels.push(createDiscordAdapter({
      bot, store, logger, content: composition.content,
      token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, apiUrl: config.DISCORD_API_URL,
      conversationTtlMs: config.PORTPILOT_CONVERSATION_TTL_HOURS * 3600_000,
      staff: { outbox: composition.outbox, channelId: config.PORTPILOT_STAFF_DISCORD_CHANNEL },
    }));
  }

  const server = await listen(app, config.PORT, config.HOST);
  // Customers whose case nobody claimed in time are told what to expect, even if they don't write again.
  const sweep = setInterval(() => {
    composition.handoff.sweepUnclaimed().catch((err: unknown) => logger.error({ err }, 'unclaimed-case sweep failed'));
  }, UNCLAIMED_SWEEP_MS);
  sweep.unref();
  const port = (server.address() as AddressInfo).port;
  for (const channel of channels) await channel.start();

  return {
    composition,
    server,
    url: `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}/`,
    channels,
    async stop() {
      clearInterval(sweep);
      for (const channel of channels) await channel.stop().catch((err: unknown) => logger.error({ err, channel: channel.name }, 'channel stop failed'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await store.close();
    },
  };
}
