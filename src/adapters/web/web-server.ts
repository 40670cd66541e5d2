/**
 * The local web chat and its JSON API on the bot's one HTTP port (shared with Slack's `/slack/events`
 * when Slack is on), with `/healthz`, `/readyz` and `/metrics`. Express parses and limits bodies;
 * this adapter only translates.
 */
import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Bot } from '../../bot.js';
import type { ConversationStore, Logger } from '../../core/ports.js';
import { describeError } from '../../core/redact.js';
import type { Metrics } from '../metrics/prometheus-metrics.js';
import { type Language, LANGUAGES } from '../../dialogue/messages/index.js';
import { conversationIdSchema, messageBodySchema, openApiDocument } from './api-schema.js';
import { CHAT_PAGE_HTML, chatPageHtml, EMBED_SCRIPT } from './chat-page.js';
import { createPendingMessages } from './pending-messages.js';

export interface WebServerDeps {
  bot: Bot;
  store: ConversationStore;
  logger: Logger;
  /** When given, served at `/metrics` (Prometheus text format). */
  metrics?: Pick<Metrics, 'contentType' | 'render'>;
  /** False while the process is shutting down: `/readyz` then tells the load balancer to send no more. */
  isReady?: () => boolean;
  /** The page's title and heading (PORTPILOT_CHAT_TITLE). */
  title?: string | undefined;
  /** Sites that may frame the page and call the API from their own pages (PORTPILOT_EMBED_ORIGINS). */
  embedOrigins?: string[] | undefined;
  /** Messages per minute one address may send to `POST /api/messages` (0: no limit). */
  rateLimitPerMinute?: number;
}

/** The largest JSON body accepted: a long pasted notice is a few kB; a whole e-mail thread stays far below this. */
export const JSON_BODY_LIMIT = '64kb';
/** Messages per minute one conversation may send: a person types far fewer. */
const CONVERSATION_MESSAGES_PER_MINUTE = 30;

/** The page's inline script and style, allowed by hash in its Content-Security-Policy (nothing else runs). */
const inlineHash = (tag: string) => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(CHAT_PAGE_HTML)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};
/** The page's security headers: its own script and style by hash; framed only by itself and `embedOrigins`. */
function pageSecurity(embedOrigins: string[]) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: [inlineHash('script')],
        styleSrc: [inlineHash('style')],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", ...embedOrigins],
      },
    },
    // X-Frame-Options cannot name other origins: with embedding allowed, the CSP's frame-ancestors decides.
    xFrameOptions: embedOrigins.length > 0 ? false : { action: 'sameorigin' },
  });
}

/**
 * A header middleware whose headers never depend on the request (helmet with fixed options: no nonces,
 * no directive functions), replayed from one run at start-up: the same headers in the same order, set
 * in one step instead of by eleven middlewares on every answer. Should the middleware ever not finish
 * at once, it is used as it is.
 */
function fixedHeaders(middleware: (req: Request, res: Response, next: (err?: unknown) => void) => void) {
  const operations: Array<{ name: string; value?: string | number | readonly string[] }> = [];
  let finished = false;
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      operations.push({ name, value });
      return recorder;
    },
    removeHeader(name: string) {
      operations.push({ name });
    },
  };
  try {
    middleware({ method: 'GET', headers: {} } as Request, recorder as unknown as Response, (err?: unknown) => {
      finished = err === undefined;
    });
  } catch {
    finished = false;
  }
  if (!finished) return middleware;
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const { name, value } of operations) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}

/**
 * A JSON answer as `res.json` writes it, minus the ETag: express hashes every body for one, which only
 * serves caching a GET, and a POST's answer is never cached.
 */
function sendJsonWithoutEtag(res: Response, value: unknown): void {
  const body = JSON.stringify(value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** A long poll for staff messages waits at most this long (seconds), checking the store this often. */
const MAX_WAIT_S = 25;
const PENDING_POLL_MS = 300;

/** Builds the Express app: `/` (chat page), `POST /api/messages`, `/healthz`, `/readyz`, `/metrics`. */
export function createWebApp(deps: WebServerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Security headers on every answer (the page's own CSP is set on the page), helmet's own, worked out once.
  app.use(fixedHeaders(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } })));
  // One log line per request: method, path, status and time; never a body or a query string.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on('finish', () => deps.logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'http'));
    next();
  });

  const embedOrigins = deps.embedOrigins ?? [];
  const PAGE_SECURITY = pageSecurity(embedOrigins);
  // The page in each language the bot speaks, chosen by the browser's Accept-Language.
  const title = deps.title ?? 'portpilot: fix a rejected port order';
  const pages = new Map(LANGUAGES.map((language) => [language, chatPageHtml(title, language)]));
  app.get('/', (req, res) => {
    PAGE_SECURITY(req, res, () => {
      // The page's headers replace the API's: only what pageSecurity says applies to it.
      if (embedOrigins.length > 0) res.removeHeader('X-Frame-Options');
      const language = (req.acceptsLanguages(...LANGUAGES) || 'en') as Language;
      res
        .vary('Accept-Language')
        .type('html')
        .send(pages.get(language) ?? pages.get('en'));
    });
  });
  app.get('/embed.js', (_req, res) => {
    // Loaded by other sites' pages: a resource they may fetch (helmet's default would refuse it).
    res.set('Cross-Origin-Resource-Policy', 'cross-origin').type('text/javascript').set('Cache-Control', 'public, max-age=300').send(EMBED_SCRIPT);
  });
  // The JSON API from a configured site's own page (CORS): only those origins, only what the page sends.
  if (embedOrigins.length > 0) {
    app.use('/api', (req: Request, res: Response, next: NextFunction) => {
      const origin = req.headers.origin;
      if (origin && embedOrigins.includes(origin)) {
        res.set({
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'content-type',
          'Cross-Origin-Resource-Policy': 'cross-origin',
        });
        res.vary('Origin');
        if (req.method === 'OPTIONS') return void res.status(204).end();
      }
      next();
    });
  }

  // Staff replies and handbacks wait in the store until the page fetches them (compose registers the sink).
  const pending = createPendingMessages(deps.store);

  const openApi = JSON.stringify(openApiDocument());
  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });

  app.get('/api/messages/pending', async (req: Request, res: Response) => {
    const id = typeof req.query.conversationId === 'string' ? req.query.conversationId : '';
    if (!conversationIdSchema.safeParse(id).success) {
      res.status(400).json({ error: 'Your request could not be read: "conversationId" must be 8-64 letters, digits, - or _.' });
      return;
    }
    // With ?wait=N (seconds, at most 25) the answer waits until a message arrives: a long poll.
    const waitMs = Math.min(Math.max(Number(req.query.wait) || 0, 0), MAX_WAIT_S) * 1000;
    const deadline = Date.now() + waitMs;
    let gone = false;
    req.on('close', () => {
      gone = true;
    });
    let replies = await pending.take(`web:${id}`);
    while (replies.length === 0 && !gone && (deps.isReady?.() ?? true) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
      replies = await pending.take(`web:${id}`);
    }
    res.json({ conversationId: id, replies });
  });

  // The conversation so far, for a page that reloads.
  app.get('/api/conversations/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id ?? '');
    if (!conversationIdSchema.safeParse(id).success) {
      res.status(400).json({ error: 'Your request could not be read: the conversation id must be 8-64 letters, digits, - or _.' });
      return;
    }
    // A conversation not started (or expired) is an empty one: a page's first visit is not an error.
    const history = (await deps.bot.history(`web:${id}`)) ?? { lines: [], offered: [] };
    res.json({ conversationId: id, ...history });
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

  const tooMany = (what: string) => (_req: Request, res: Response) => {
    res.status(429).json({ error: `Too many messages ${what}. Please wait a minute and send it again.` });
  };
  const perAddress =
    deps.rateLimitPerMinute === 0
      ? (_req: Request, _res: Response, next: NextFunction) => next()
      : rateLimit({ windowMs: 60_000, limit: deps.rateLimitPerMinute ?? 300, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany('from this address') });
  const perConversation = rateLimit({
    windowMs: 60_000,
    limit: CONVERSATION_MESSAGES_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `conversation:${typeof req.body?.conversationId === 'string' ? req.body.conversationId.slice(0, 64) : ''}`,
    handler: tooMany('in this conversation'),
  });

  app.post('/api/messages', perAddress, express.json({ limit: JSON_BODY_LIMIT }), perConversation, async (req: Request, res: Response) => {
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
    sendJsonWithoutEtag(res, { conversationId, ...result });
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
      res
        .status(413)
        .json({ error: `That message is too large. Please send at most ${JSON_BODY_LIMIT.replace('kb', ' kB')} of text (paste the part of the notice that gives the reason).` });
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
