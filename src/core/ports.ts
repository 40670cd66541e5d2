/** Ports: what the core needs from the outside world, implemented by adapters and passed in. */
import type { Reply } from './types.js';

/**
 * Durable key-value state for conversations, cases and de-duplication keys, shared by every instance
 * that uses the same store. `get` resolves `undefined` when a key has no value and rejects with
 * `StoreUnavailableError` when the store cannot be reached, so a store outage is never mistaken for a
 * fresh conversation. What keyv cannot do (set-if-absent, an index, a lock) is done atomically by each
 * store in its own way.
 */
export interface ConversationStore {
  /** `memory`, `sqlite` or `redis`: for logs, health and figures. */
  readonly kind: StoreKind;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Sets `key` only if it has no (unexpired) value, atomically across every process sharing the store.
   * Resolves true for the one caller that set it. Used for de-duplicating channel retries and claims.
   */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Adds (or re-scores) a member of a named index, atomically: concurrent adds never lose each other. */
  indexAdd(index: string, member: string, score: number): Promise<void>;
  /** The `limit` highest-scored members of an index, lowest score first. */
  indexMembers(index: string, limit: number): Promise<string[]>;
  /** Up to `limit` members scored at most `maxScore`, lowest score first (what is due by a time). */
  indexDue(index: string, maxScore: number, limit: number): Promise<string[]>;
  indexRemove(index: string, member: string): Promise<void>;
  /**
   * Takes the lock named `key` across every process sharing the store, waiting up to `waitMs`.
   * Resolves a release function, or null when another holder kept it all that time. A holder that
   * dies loses the lock after `ttlMs`.
   */
  lock(key: string, ttlMs: number, waitMs: number): Promise<LockRelease | null>;
  /** Removes expired rows (the embedded store keeps them until then); resolves how many went. */
  purgeExpired(): Promise<number>;
  /** Writes, reads back and deletes a probe key: rejects when the store cannot be written. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export type StoreKind = 'memory' | 'sqlite' | 'redis';

/** One member of a sorted index with its score (as `indexAdd` takes them). */
export interface IndexEntry {
  index: string;
  member: string;
  score: number;
}

/**
 * Releases a lock. Given a write, it sets that key (as `set` would), adds the index entries that go
 * with it (as `indexAdd` would) and releases, in one step: one transaction on SQLite, one round trip on
 * Redis, so a turn's save, what it counts and its unlock cost one commit. A write that fails leaves the
 * lock held and nothing written: release it again without a write.
 */
export type LockRelease = (write?: { key: string; value: unknown; ttlMs: number; index?: IndexEntry[] }) => Promise<void>;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The subset of pino's logger the core uses, so tests can pass a silent or recording logger. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * A channel the bot talks on besides the built-in web chat (Slack, Discord). Adapters translate the
 * channel's events into `InboundMessage`s, call the bot and render its replies; main starts and stops them.
 */
export interface ChannelAdapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Something staff should hear about: a new case, a customer's words on a claimed case, a case nobody claimed. */
export interface StaffNotice {
  kind: 'case_opened' | 'customer_message' | 'case_unclaimed' | 'case_claimed' | 'case_closed';
  caseId: string;
  /** A short, redacted, channel-neutral text for staff. */
  text: string;
  /** The staff member the notice is for (the claimer), when it is for one person. */
  to?: { channel: string; staffId: string };
  /** Who did it, for a claim: adapters mark the case's notice in the staff channel as taken. */
  by?: { channel: string; staffId: string; name?: string };
}

/**
 * Messages that leave the bot outside a customer's own turn: staff replies and handbacks into a
 * customer's conversation, and notices to staff. Channel adapters register how they deliver.
 */
export interface Outbox {
  toConversation(channel: string, conversationKey: string, replies: Reply[]): Promise<void>;
  toStaff(notice: StaffNotice): Promise<void>;
}

/**
 * An optional OpenAI-compatible language model. Everything it says is a proposal the caller validates;
 * `undefined` means it had nothing usable (not configured, too slow, failing, or an answer that does not
 * parse), and the offline answer stands. Text given to it is already redacted.
 */
export interface LanguageModel {
  /** The rejection reasons a notice states, each with the words that state it, chosen among `reasons`. */
  readNotice(request: { text: string; reasons: Array<{ id: string; title: string }> }): Promise<ModelNoticeReading | undefined>;
  /** An answer to a customer's question from `articles` only, citing the ids of those it used. */
  answer(request: { question: string; language: 'en' | 'es'; articles: Array<{ id: string; title: string; text: string }> }): Promise<ModelAnswer | undefined>;
}

export interface ModelNoticeReading {
  reasons: Array<{ id: string; evidence: string }>;
  /** The losing carrier, as written in the notice. */
  carrier?: string | undefined;
}

export interface ModelAnswer {
  /** Empty when the articles do not answer the question. */
  text: string;
  cites: string[];
}

/** One call of the model, for /metrics: what it was for, how it ended, how long it took, what it cost. */
export interface ModelCall {
  kind: 'read' | 'answer';
  /** `skipped`: not called, the model failed repeatedly just before (the circuit breaker is open). */
  outcome: 'ok' | 'timeout' | 'error' | 'garbage' | 'skipped';
  ms: number;
  promptTokens: number;
  completionTokens: number;
}
