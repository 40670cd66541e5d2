/**
 * `npm start`: the composition root for the long-running bot. Reads configuration once, builds the
 * bot, serves the web chat and JSON API on one HTTP port, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { createWebApp, listen } from './adapters/web/web-server.js';
import { compose, PROJECT_ROOT } from './compose.js';
import { loadConfig } from './config.js';
import { ConfigError, ContentError } from './core/errors.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const { bot, store, logger, content, trainingMs } = compose(config);
  const server = await listen(createWebApp({ bot, store, logger }), config.PORT, config.HOST);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  logger.info(
    {
      intents: content.intents.size,
      articles: content.articles.size,
      trainingMs: Math.round(trainingMs),
      store: config.PORTPILOT_STORE_URL.replace(/\/\/.*@/, '//***@'),
      root: PROJECT_ROOT,
    },
    'portpilot ready',
  );
  logger.info({ url: `http://${config.HOST}:${port}/` }, 'web chat on: open this address in a browser (JSON API at POST /api/messages, health at /healthz)');
  logger.info({}, 'terminal chat: run `npm run chat` in another shell');
  logger.info({}, 'Slack, Discord and an OpenAI-compatible model are not available in this version yet; see README.md');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void store.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
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
