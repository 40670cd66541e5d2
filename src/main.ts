/**
 * `npm start`: reads configuration once, starts the bot (web chat, JSON API and any configured
 * channels on one HTTP port), and shuts down cleanly on SIGINT/SIGTERM.
 */
import { loadConfig } from './config.js';
import { ConfigError, ContentError } from './core/errors.js';
import { startPortpilot } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startPortpilot(config);
  const { logger, content, trainingMs } = running.composition;

  logger.info(
    {
      intents: content.intents.size,
      articles: content.articles.size,
      trainingMs: Math.round(trainingMs),
      store: config.PORTPILOT_STORE_URL,
      channels: ['web', ...running.channels.map((c) => c.name)],
    },
    'portpilot ready',
  );
  logger.info({ url: running.url }, 'web chat on: open this address in a browser (JSON API at POST /api/messages, health at /healthz, metrics at /metrics)');
  logger.info({}, 'terminal chat: run `npm run chat` in another shell');
  if (!config.SLACK_BOT_TOKEN) logger.info({}, 'Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for Socket Mode); see docs/SLACK.md');
  if (!config.DISCORD_TOKEN) logger.info({}, 'Discord is off: set DISCORD_TOKEN and DISCORD_APPLICATION_ID; see docs/DISCORD.md');
  if (config.OPENAI_API_KEY) {
    logger.info(
      { model: config.OPENAI_MODEL, at: config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1', deadlineMs: config.PORTPILOT_MODEL_DEADLINE_MS },
      'an OpenAI-compatible model reads the notices the offline reader is unsure of; the offline reader answers whenever it is slow or failing',
    );
  } else logger.info({}, 'no model configured (OPENAI_API_KEY): the offline reader answers everything');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(0), 5000).unref();
    void running.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ContentError) {
    process.stderr.write(`portpilot could not start.\n${error.message}\n`);
  } else {
    process.stderr.write(`portpilot could not start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
