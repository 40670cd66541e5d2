/** Ports: what the core needs from the outside world, implemented by adapters and passed in. */

/**
 * Durable key-value state for conversations (and later cases and de-duplication keys).
 * `get` resolves `undefined` when a key has no value and rejects with `StoreUnavailableError`
 * when the store cannot be reached, so a store outage is never mistaken for a fresh conversation.
 */
export interface ConversationStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Sets `key` only if it has no (unexpired) value, atomically across every process sharing the store.
   * Resolves true for the one caller that set it. Used for de-duplicating channel retries and claims.
   */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

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
