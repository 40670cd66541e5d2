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
  const backend = storeFor(options.url);
  const keyv = new Keyv({
    store: backend,
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
    setIfAbsent: (key, value, ttlMs) =>
      guard('write', async () => {
        if (backend instanceof Map) {
          // One process, one thread: the check and the set cannot interleave with another call.
          if ((await keyv.get(key)) !== undefined) return false;
          await keyv.set(key, value, ttlMs);
          return true;
        }
        return sqliteSetIfAbsent(backend, keyv, key, value, ttlMs);
      }),
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

/**
 * SQLite: INSERT OR IGNORE is atomic across processes sharing the file. Expired rows are removed first
 * (keyv only expires rows lazily on read), and the row is written in keyv's own format so `get` reads it.
 */
async function sqliteSetIfAbsent(sqlite: KeyvSqlite, keyv: Keyv, key: string, value: unknown, ttlMs: number): Promise<boolean> {
  const fullKey = `${keyv.namespace}:${key}`;
  const expires = Date.now() + ttlMs;
  const table = sqlite.opts.table ?? 'keyv';
  const serialized = JSON.stringify({ value, expires });
  await sqlite.query(`DELETE FROM ${table} WHERE key = ? AND json_extract(value, '$.expires') < ?`, fullKey, Date.now());
  await sqlite.query(`INSERT OR IGNORE INTO ${table} (key, value) VALUES (?, ?)`, fullKey, serialized);
  const rows = (await sqlite.query(`SELECT value FROM ${table} WHERE key = ?`, fullKey)) as Array<{ value: string }>;
  return rows[0]?.value === serialized;
}
