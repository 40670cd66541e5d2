/**
 * `KeyvConversationStore`: the conversation store on keyv. `memory://` keeps state for the life of the
 * process; `sqlite://<path>` is the embedded persistent default. keyv reports failures as events, so
 * errors are turned into `StoreUnavailableError` rejections: an outage never looks like empty state.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { StoreUnavailableError } from '../../core/errors.js';
import type { ConversationStore, Logger } from '../../core/ports.js';

export interface KeyvStoreOptions {
  url: string;
  logger: Logger;
  namespace?: string;
}

export function createKeyvConversationStore(options: KeyvStoreOptions): ConversationStore {
  const keyv = new Keyv({
    store: storeFor(options.url),
    namespace: options.namespace ?? 'portpilot',
    throwOnErrors: true,
  });
  keyv.on('error', (err: unknown) => options.logger.error({ err }, 'conversation store error'));

  async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new StoreUnavailableError(`conversation store ${what} failed`, { cause: error });
    }
  }

  return {
    get: (key) => guard('read', () => keyv.get(key)),
    set: (key, value, ttlMs) => guard('write', async () => void (await keyv.set(key, value, ttlMs))),
    delete: (key) => guard('delete', async () => void (await keyv.delete(key))),
    close: () => guard('close', () => keyv.disconnect()),
  };
}

function storeFor(url: string): Map<unknown, unknown> | KeyvSqlite {
  if (url === 'memory://') return new Map();
  const match = /^sqlite:\/\/(.+)$/.exec(url);
  if (!match) throw new Error(`unsupported store URL: ${url}`);
  const path = resolve(match[1]!);
  mkdirSync(dirname(path), { recursive: true });
  return new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 });
}
