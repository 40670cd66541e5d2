/**
 * Composition: builds the bot and its dependencies (content, classifier, notice reader, store, staff
 * handoff, outbox, reminders) from configuration. Entry points (the server, the terminal chat) call it;
 * the channels' SDK clients are built by their adapters, which the server starts (server.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pino from 'pino';
import { createOpenAIModel } from './adapters/model/openai-model.js';
import { openStore } from './adapters/store/open-store.js';
import { createPendingMessages } from './adapters/web/pending-messages.js';
import { createBot, type Bot } from './bot.js';
import { brandingOf, type Config } from './config.js';
import { ConfigError } from './core/errors.js';
import { loadContent, type Content, type ContentRoots } from './content/load-content.js';
import { systemClock, type Clock, type ConversationStore, type LanguageModel, type Logger, type ModelCall } from './core/ports.js';
import { trainClassifier, trainingSetFrom, type IntentClassifier, type TrainedWeightsCache } from './nlu/classifier.js';
import { createUnderstander, type Understander } from './nlu/understand.js';
import { createEntityExtractor } from './nlu/extract.js';
import { createFactReader } from './nlu/notice-facts.js';
import { createNoticeReader, type NoticeReader } from './nlu/notice-reader.js';
import { createCaseStore } from './handoff/case-store.js';
import { createHandoff, type Handoff } from './handoff/handoff.js';
import { createOutboxRouter, type OutboxRouter } from './handoff/outbox-router.js';
import { createOutcomes, type Outcomes } from './outcomes/outcomes.js';
import { createStaffPolicy } from './handoff/staff-policy.js';
import { createReminders, type Reminders } from './followup/reminders.js';

export const PROJECT_ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export const DEFAULT_CONTENT_ROOTS: ContentRoots = {
  intentsDir: join(PROJECT_ROOT, 'intents'),
  knowledgeDir: join(PROJECT_ROOT, 'knowledge'),
};

export interface Composition {
  bot: Bot;
  content: Content;
  classifier: IntentClassifier;
  understander: Understander;
  /** Reads a whole notice: every reason in order, with evidence, and the facts it states. */
  reader: NoticeReader;
  /** Where adapters register how they deliver staff messages and notices (outside a customer's turn). */
  outbox: OutboxRouter;
  handoff: Handoff;
  /** Reminders promised by summaries: the server sends those that are due. */
  reminders: Reminders;
  store: ConversationStore;
  logger: Logger;
  trainingMs: number;
  /** The optional OpenAI-compatible model, when OPENAI_API_KEY is set. */
  model: LanguageModel | undefined;
  /** What the bot resolves and does not understand, counted in the store: `npm run report`. */
  outcomes: Outcomes;
}

export interface ComposeOverrides {
  logger?: Logger;
  clock?: Clock;
  store?: ConversationStore;
  /** Wraps the store before anything uses it (the server counts store failures for /metrics). */
  observeStore?: (store: ConversationStore) => ConversationStore;
  contentRoots?: ContentRoots;
  /** Log destination file descriptor: 1 for the server, 2 for the terminal chat (stdout stays clean). */
  logFd?: 1 | 2;
  /** Retries of a failed Slack Web API call (default: a short policy); tests pass 0 so a fault shows at once. */
  slackWebApiRetries?: number;
  /** Told about every call of the optional model (the server counts them for /metrics). */
  onModelCall?: (call: ModelCall) => void;
  /** Told about every case opened for staff (the server counts hand-offs for /metrics). */
  onCaseOpened?: (file: { channel: string; trigger: string }) => void;
}

export function createLogger(config: Config, fd: 1 | 2 = 1): pino.Logger {
  return pino({ level: config.LOG_LEVEL, base: { app: 'portpilot' } }, pino.destination({ fd, sync: fd === 2 }));
}

/**
 * Trained classifiers by training set: training is deterministic and the classifier is read-only, so
 * a process that composes the bot several times (the test suite, a restart inside one process) trains
 * once per distinct content.
 */
const trainedClassifiers = new Map<string, IntentClassifier>();

function classifierFor(content: Content): IntentClassifier {
  const trainingSet = trainingSetFrom(content);
  const key = createHash('sha256').update(JSON.stringify(trainingSet)).digest('hex');
  let classifier = trainedClassifiers.get(key);
  if (!classifier) {
    classifier = trainClassifier(trainingSet, { weightsCache: weightsFileCache(createHash('sha256').update(key).update(trainingCodeVersion()).digest('hex')) });
    trainedClassifiers.set(key, classifier);
  }
  return classifier;
}

/** Where trained weights are kept between processes (a start, a terminal chat, a test's subprocess). */
const WEIGHTS_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'portpilot');

/**
 * The code that decides what training produces (features, the model, the classifier), as a hash of
 * its own files: weights trained by other code are never used.
 */
function trainingCodeVersion(): string {
  const hash = createHash('sha256');
  for (const name of ['softmax-model', 'features', 'classifier', 'normalize']) {
    for (const extension of ['.ts', '.js']) {
      const file = fileURLToPath(new URL(`./nlu/${name}${extension}`, import.meta.url));
      if (existsSync(file)) hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

/**
 * A cache of trained weights in a file named by the training set and code version: read when it is
 * there, written once after training (to a temporary file, then renamed, so a reader never sees half).
 * Any failure means training as before.
 */
function weightsFileCache(key: string): TrainedWeightsCache {
  const file = join(WEIGHTS_CACHE_DIR, `classifier-${key.slice(0, 32)}.bin`);
  return {
    get() {
      try {
        const bytes = readFileSync(file);
        const biasCount = bytes.readUInt32LE(0);
        const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length));
        return { bias: floats.slice(0, biasCount), weights: floats.slice(biasCount) };
      } catch {
        return undefined;
      }
    },
    set({ weights, bias }) {
      try {
        mkdirSync(WEIGHTS_CACHE_DIR, { recursive: true });
        const header = Buffer.alloc(4);
        header.writeUInt32LE(bias.length, 0);
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(
          temporary,
          Buffer.concat([header, Buffer.from(bias.buffer, bias.byteOffset, bias.byteLength), Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength)]),
        );
        renameSync(temporary, file);
      } catch {
        // Not cached: the next process trains again.
      }
    },
  };
}

/** The configured store; one that cannot even be opened stops start-up with a message naming the variable. */
function openConfiguredStore(config: Config, logger: Logger): ConversationStore {
  try {
    return openStore({ url: config.PORTPILOT_STORE_URL, logger });
  } catch (error) {
    throw new ConfigError([`PORTPILOT_STORE_URL: the store cannot be opened (${(error as Error).message}).`]);
  }
}

export function compose(config: Config, overrides: ComposeOverrides = {}): Composition {
  const logger = overrides.logger ?? createLogger(config, overrides.logFd);
  const branding = brandingOf(config);
  const content = loadContent(overrides.contentRoots ?? DEFAULT_CONTENT_ROOTS, branding);
  const started = performance.now();
  const classifier = classifierFor(content);
  const trainingMs = performance.now() - started;
  const opened = overrides.store ?? openConfiguredStore(config, logger);
  const store = overrides.observeStore ? overrides.observeStore(opened) : opened;
  const understander = createUnderstander(classifier);
  const extractor = createEntityExtractor(content);
  const reader = createNoticeReader({ understander, classifier, content, facts: createFactReader({ extractor, reasonCodes: content.reasonCodes }) });
  const clock = overrides.clock ?? systemClock;
  const outbox = createOutboxRouter(logger);
  // Web customers' messages outside a turn wait in the store for their page: any process can deliver them.
  outbox.register('web', createPendingMessages(store).sink);
  const outcomes = createOutcomes({ store, logger });
  const handoff = createHandoff({
    outcomes,
    cases: createCaseStore(store),
    outbox,
    policy: createStaffPolicy({
      slackUserIds: config.PORTPILOT_STAFF_SLACK_USER_IDS,
      slackUsergroupIds: config.PORTPILOT_STAFF_SLACK_USERGROUP_IDS,
      discordRoleIds: config.PORTPILOT_STAFF_DISCORD_ROLE_IDS,
      discordUserIds: config.PORTPILOT_STAFF_DISCORD_USER_IDS,
      terminal: config.PORTPILOT_STAFF_TERMINAL,
    }),
    content,
    clock,
    logger,
    onCaseOpened: overrides.onCaseOpened,
    company: branding.company,
    supportEmail: branding.support_email,
    businessHours: config.PORTPILOT_BUSINESS_HOURS,
    claimTimeoutMs: config.PORTPILOT_CLAIM_TIMEOUT_MINUTES * 60_000,
  });
  // A check-in is asked through the bot (its buttons must be known to the conversation); bound below.
  const reminders = createReminders({ store, outbox, logger, checkIn: (target) => bot.checkIn(target) });
  const model = config.OPENAI_API_KEY
    ? createOpenAIModel({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.OPENAI_MODEL,
        deadlineMs: config.PORTPILOT_MODEL_DEADLINE_MS,
        logger,
        ...(overrides.onModelCall ? { onCall: overrides.onModelCall } : {}),
      })
    : undefined;
  const bot = createBot({
    model,
    outcomes,
    reminders,
    handoff,
    outbox,
    businessHours: config.PORTPILOT_BUSINESS_HOURS,
    content,
    understander,
    reader,
    extractor,
    flowTtlMs: config.PORTPILOT_FLOW_TTL_HOURS * 3600_000,
    store,
    clock,
    logger,
    branding,
    conversationTtlMs: config.PORTPILOT_CONVERSATION_TTL_HOURS * 3600_000,
  });
  return { bot, content, classifier, understander, reader, outbox, handoff, reminders, store, logger, trainingMs, model, outcomes };
}
