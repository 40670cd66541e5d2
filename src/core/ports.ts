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
