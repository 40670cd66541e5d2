/**
 * The local web chat and its JSON API on the bot's one HTTP port (shared with Slack's `/slack/events`
 * when Slack is on), with `/healthz`, `/readyz` and `/metrics`. Express parses and limits bodies;
 * this adapter only translates.
 */
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Bot } from '../../bot.js';
import type { ConversationStore, Logger } from '../../core/ports.js';
import { describeError } from '../../core/redact.js';
import type { Reply } from '../../core/types.js';
import type { Metrics } from '../metrics/prometheus-metrics.js';
import type { OutboxRouter } from '../../handoff/outbox-router.js';
import { CHAT_PAGE_HTML } from './chat-page.js';


const messageBodySchema = z
  .object({
    conversationId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _'),
    text: z.string().optional(),
    choice: z.string().max(200).optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.choice === undefined), {
    message: 'send exactly one of "text" or "choice"',
  });

export interface WebServerDeps {
  bot: Bot;
  store: ConversationStore;
  logger: Logger;
  /** When given, the web chat registers how staff messages reach web customers (the page polls for them). */
  outbox?: OutboxRouter;
  /** When given, served at `/metrics` (Prometheus text format). */
  metrics?: Pick<Metrics, 'contentType' | 'render'>;
  /** False while the process is shutting down: `/readyz` then tells the load balancer to send no more. */
  isReady?: () => boolean;
}

/** Messages for a web customer wait this long for the page to fetch them. */
const PENDING_TTL_MS = 24 * 3600_000;
const pendingKey = (conversationKey: string) => `web-pending:${conversationKey}`;

/** Builds the Express app: `/` (chat page), `POST /api/messages`, `/healthz`, `/readyz`, `/metrics`. */
export function createWebApp(deps: WebServerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');

  // Staff replies and handbacks arrive outside the customer's own request: they wait until the page polls.
  deps.outbox?.register('web', {
    async toConversation(conversationKey, replies) {
      const waiting = ((await deps.store.get(pendingKey(conversationKey))) as Reply[] | undefined) ?? [];
      await deps.store.set(pendingKey(conversationKey), [...waiting, ...replies].slice(-50), PENDING_TTL_MS);
    },
  });

  app.get('/api/messages/pending', async (req: Request, res: Response) => {
    const id = typeof req.query['conversationId'] === 'string' ? req.query['conversationId'] : '';
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      res.status(400).json({ error: 'Your request could not be read: "conversationId" must be 8-64 letters, digits, - or _.' });
      return;
    }
    const key = pendingKey(`web:${id}`);
    const replies = ((await deps.store.get(key)) as Reply[] | undefined) ?? [];
    if (replies.length > 0) await deps.store.delete(key);
    res.json({ conversationId: id, replies });
  });

  app.get('/', (_req, res) => {
    res.type('html').send(CHAT_PAGE_HTML);
  });

  const { metrics } = deps;
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.render());
    });
  }

  // Health is a write probe: a store that answers reads but cannot keep a turn is not healthy.
  app.get('/healthz', async (_req, res) => {
    try {
      await deps.store.probe();
      res.json({ status: 'ok', store: 'ok', kind: deps.store.kind });
    } catch (error) {
      deps.logger.error({ err: error }, 'health check: the store cannot be written');
      res.status(503).json({ status: 'degraded', store: 'unavailable', kind: deps.store.kind });
    }
  });

  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady?.() ?? true;
    res.status(ready ? 200 : 503).json({ ready });
  });

  app.post('/api/messages', express.json({ limit: '1mb' }), async (req: Request, res: Response) => {
    const body = messageBodySchema.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const field = issue.path.length > 0 ? `"${issue.path.join('.')}" ` : '';
      res.status(400).json({ error: `Your message could not be read: ${field}${issue.message}.` });
      return;
    }
    const { conversationId, text, choice } = body.data;
    const result = await deps.bot.handle({
      channel: 'web',
      conversationKey: `web:${conversationId}`,
      actor: { id: `web:${conversationId}` },
      ...(choice !== undefined ? { choice } : { text: text ?? '' }),
    });
    res.json({ conversationId, ...result });
  });

  // One error boundary: malformed JSON, oversized bodies and bugs all get a polite JSON answer.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: 'Your message could not be read: the request body is not valid JSON.' });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: 'That message is too large. Please send at most 1 MB of text.' });
      return;
    }
    deps.logger.error({ err: describeError(error), path: req.path }, 'web request failed');
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: 'Sorry, something went wrong on our side. Please try again.' });
  });

  return app;
}

/** Starts listening; resolves with the server once the port is bound. */
export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
