/** Builds the real bot for tests: real content and classifier, in-memory store, fixed clock, silent logger. */
import { openStore } from '../../src/adapters/store/open-store.js';
import { compose, type Composition } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { StoreUnavailableError } from '../../src/core/errors.js';
import type { Clock, ConversationStore, Logger } from '../../src/core/ports.js';

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const fixedClock: Clock = { now: () => new Date('2026-11-26T12:00:00Z') };

export function composeTestBot(options: { store?: ConversationStore; env?: Record<string, string> } = {}): Composition {
  const config = loadConfig({ PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'silent', ...options.env });
  const store = options.store ?? openStore({ url: 'memory://', logger: silentLogger });
  return compose(config, { logger: silentLogger, clock: fixedClock, store });
}

/** A store whose every call fails, as when the database is down. */
export function createDownStore(): ConversationStore {
  const fail = async () => {
    const { StoreUnavailableError } = await import('../../src/core/errors.js');
    throw new StoreUnavailableError('store is down (test)');
  };
  return {
    kind: 'memory',
    get: fail,
    set: fail,
    delete: fail,
    setIfAbsent: fail,
    indexAdd: fail,
    indexMembers: fail,
    indexDue: fail,
    indexRemove: fail,
    lock: fail,
    purgeExpired: fail,
    probe: fail,
    close: async () => {},
  };
}

/** A store that can be taken down and brought back while the bot runs: `observeStore` in compose's overrides. */
export function createBreakableStore(): { observeStore: (store: ConversationStore) => ConversationStore; setDown(down: boolean): void } {
  let down = false;
  return {
    setDown: (value) => {
      down = value;
    },
    observeStore: (store) =>
      new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function' || property === 'close') return value;
          return (...args: unknown[]) => (down ? Promise.reject(new StoreUnavailableError('store is down (test)')) : value.apply(target, args));
        },
      }),
  };
}
