/**
 * The conversation store, chosen by `PORTPILOT_STORE_URL`: `memory://` for the life of the process,
 * `sqlite://<path>` (the embedded default, one file, several processes on one host may share it) and
 * `redis://host:port[/db]` for several instances behind a load balancer. Key-value reads and writes go
 * through keyv; what keyv cannot do (set-if-absent, the case index, a lock across instances, purging
 * expired rows) each store does atomically its own way. keyv reports failures as events, so every
 * failure becomes a `StoreUnavailableError` rejection: an outage never looks like empty state.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import { createKeyv as createRedisKeyv, type RedisClientConnectionType } from '@keyv/redis';
import { StoreUnavailableError } from '../../core/errors.js';
import type { ConversationStore, IndexEntry, LockRelease, Logger, StoreKind } from '../../core/ports.js';
import { KeyvLibsql } from './keyv-libsql.js';

export interface StoreOptions {
  url: string;
  logger: Logger;
  namespace?: string;
}

/** How each store does what keyv cannot. */
interface AtomicOps {
  setIfAbsent(fullKey: string, serialized: string, ttlMs: number): Promise<boolean>;
  indexAdd(index: string, member: string, score: number): Promise<void>;
  indexMembers(index: string, limit: number): Promise<string[]>;
  indexDue(index: string, maxScore: number, limit: number): Promise<string[]>;
  indexRemove(index: string, member: string): Promise<void>;
  tryLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  unlock(key: string, token: string): Promise<void>;
  /** Writes a serialized value (as keyv's set does) with its index entries and releases the lock, atomically where the store can. */
  setAndUnlock(fullKey: string, serialized: string, ttlMs: number, key: string, token: string, index: IndexEntry[]): Promise<void>;
  purgeExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * State is plain JSON (no Buffers or BigInts), so keyv's own serializer (a JSON replacer that looks
 * for them in every value) is replaced by the built-in JSON functions: the same text, less work per turn.
 */
const JSON_SERIALIZATION = {
  serialize: (data: unknown) => JSON.stringify(data),
  deserialize: (text: string) => (typeof text === 'string' ? JSON.parse(text) : text),
} as const;

/** The longest one Redis call may take before the store counts as unavailable. */
const REDIS_CALL_TIMEOUT_MS = 2_000;

/** An index keeps at most this many members (the newest). */
const INDEX_CAP = 10_000;

export function openStore(options: StoreOptions): ConversationStore {
  const namespace = options.namespace ?? 'portpilot';
  const url = options.url.trim();
  if (url === 'memory://') {
    const map = new Map<string, unknown>();
    const keyv = new Keyv({ store: map, namespace, throwOnErrors: true, ...JSON_SERIALIZATION });
    return keyvStore('memory', keyv, `${namespace}:`, memoryOps(map), options.logger);
  }
  const sqlite = /^sqlite:\/\/(.+)$/.exec(url);
  if (sqlite) {
    const path = sqlite[1] === ':memory:' ? ':memory:' : resolve(sqlite[1]!);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const adapter = new KeyvLibsql({ path });
    const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true, ...JSON_SERIALIZATION });
    return keyvStore('sqlite', keyv, `${namespace}:`, sqliteOps(adapter), options.logger);
  }
  if (/^rediss?:\/\//.test(url)) {
    const keyv = createRedisKeyv(
      { url, socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) } },
      { namespace, throwOnConnectError: true, throwOnErrors: true },
    );
    keyv.serialize = JSON_SERIALIZATION.serialize;
    keyv.deserialize = JSON_SERIALIZATION.deserialize;
    const store = keyv.store as { getClient(): Promise<RedisClientConnectionType> };
    // Commands wait in the client's queue while it reconnects; a bounded wait turns an outage into a
    // StoreUnavailableError instead of a turn that never ends.
    return keyvStore(
      'redis',
      keyv,
      `${namespace}::`,
      redisOps(() => store.getClient(), namespace),
      options.logger,
      REDIS_CALL_TIMEOUT_MS,
    );
  }
  throw new Error(`unsupported store URL: ${url}`);
}

function keyvStore(kind: StoreKind, keyv: Keyv, keyPrefix: string, ops: AtomicOps, logger: Logger, timeoutMs?: number): ConversationStore {
  keyv.on('error', (err: unknown) => logger.error({ err, store: kind }, 'conversation store error'));

  async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      if (timeoutMs === undefined) return await op();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([op(), late]);
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`conversation store ${what} failed`, { cause: error });
    }
  }
  /** A value in keyv's own format, so `get` reads what the atomic operations wrote. */
  const serialize = async (value: unknown, ttlMs: number): Promise<string> => {
    const data = { value, expires: Date.now() + ttlMs };
    return keyv.serialize ? String(await keyv.serialize(data)) : JSON.stringify(data);
  };

  return {
    kind,
    get: (key) => guard('read', () => keyv.get(key)),
    set: (key, value, ttlMs) =>
      guard('write', async () => {
        if (!(await keyv.set(key, value, ttlMs))) throw new Error('the store did not accept the write');
      }),
    delete: (key) => guard('delete', async () => void (await keyv.delete(key))),
    setIfAbsent: (key, value, ttlMs) => guard('write', async () => ops.setIfAbsent(keyPrefix + key, await serialize(value, ttlMs), ttlMs)),
    indexAdd: (index, member, score) => guard('write', () => ops.indexAdd(index, member, score)),
    indexMembers: (index, limit) => guard('read', () => ops.indexMembers(index, limit)),
    indexDue: (index, maxScore, limit) => guard('read', () => ops.indexDue(index, maxScore, limit)),
    indexRemove: (index, member) => guard('write', () => ops.indexRemove(index, member)),
    lock: (key, ttlMs, waitMs) =>
      guard('lock', async () => {
        const token = randomUUID();
        const deadline = Date.now() + waitMs;
        for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
          if (await ops.tryLock(key, token, ttlMs)) {
            const release: LockRelease = (write) =>
              write
                ? guard('write', async () => ops.setAndUnlock(keyPrefix + write.key, await serialize(write.value, write.ttlMs), write.ttlMs, key, token, write.index ?? []))
                : guard('unlock', () => ops.unlock(key, token));
            return release;
          }
          if (Date.now() >= deadline) return null;
          await new Promise((done) => setTimeout(done, pause));
        }
      }),
    purgeExpired: () => guard('purge', () => ops.purgeExpired()),
    probe: () =>
      guard('write', async () => {
        const key = `probe:${randomUUID()}`;
        if (!(await keyv.set(key, 1, 60_000))) throw new Error('the store did not accept the write');
        if ((await keyv.get(key)) !== 1) throw new Error('the store did not return what was written');
        await keyv.delete(key);
      }),
    close: () =>
      guard('close', async () => {
        await ops.close();
        await keyv.disconnect();
      }),
  };
}

/** One process, one thread: a check and a set cannot interleave with another call. */
function memoryOps(map: Map<string, unknown>): AtomicOps {
  const indexes = new Map<string, Map<string, number>>();
  const locks = new Map<string, { token: string; expires: number }>();
  const expiresOf = (raw: unknown): number | undefined => {
    try {
      const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { expires?: number } | undefined;
      return typeof data?.expires === 'number' ? data.expires : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async setIfAbsent(fullKey, serialized) {
      const existing = map.get(fullKey);
      if (existing !== undefined && (expiresOf(existing) ?? Infinity) > Date.now()) return false;
      map.set(fullKey, serialized);
      return true;
    },
    async indexAdd(index, member, score) {
      const members = indexes.get(index) ?? new Map<string, number>();
      indexes.set(index, members);
      members.set(member, score);
      if (members.size > INDEX_CAP) {
        const lowest = [...members.entries()].sort((a, b) => a[1] - b[1])[0]![0];
        members.delete(lowest);
      }
    },
    async indexMembers(index, limit) {
      return [...(indexes.get(index) ?? new Map<string, number>()).entries()]
        .sort((a, b) => a[1] - b[1])
        .slice(-limit)
        .map(([member]) => member);
    },
    async indexDue(index, maxScore, limit) {
      return [...(indexes.get(index) ?? new Map<string, number>()).entries()]
        .filter(([, score]) => score <= maxScore)
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([member]) => member);
    },
    async indexRemove(index, member) {
      indexes.get(index)?.delete(member);
    },
    async tryLock(key, token, ttlMs) {
      const held = locks.get(key);
      if (held && held.expires > Date.now()) return false;
      locks.set(key, { token, expires: Date.now() + ttlMs });
      return true;
    },
    async unlock(key, token) {
      if (locks.get(key)?.token === token) locks.delete(key);
    },
    async setAndUnlock(fullKey, serialized, _ttlMs, key, token, index) {
      map.set(fullKey, serialized);
      for (const e of index) await this.indexAdd(e.index, e.member, e.score);
      if (locks.get(key)?.token === token) locks.delete(key);
    },
    async purgeExpired() {
      let removed = 0;
      const now = Date.now();
      for (const [key, raw] of map) {
        if ((expiresOf(raw) ?? Infinity) <= now) {
          map.delete(key);
          removed++;
        }
      }
      return removed;
    },
    async close() {},
  };
}

/**
 * SQLite through libsql: set-if-absent is `INSERT ... ON CONFLICT DO NOTHING` (after dropping an
 * expired row) in one immediate transaction; the index and locks are tables; each statement is atomic
 * across processes sharing the file.
 */
function sqliteOps(adapter: KeyvLibsql): AtomicOps {
  const { db, table } = adapter;
  db.exec('CREATE TABLE IF NOT EXISTS portpilot_index (name TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (name, member))');
  db.exec('CREATE INDEX IF NOT EXISTS portpilot_index_score ON portpilot_index (name, score)');
  db.exec('CREATE TABLE IF NOT EXISTS portpilot_locks (key TEXT PRIMARY KEY, token TEXT NOT NULL, expires INTEGER NOT NULL)');
  const dropExpired = db.prepare(`DELETE FROM ${table} WHERE key = ? AND expires <= ?`);
  const insertNew = db.prepare(`INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING`);
  const setIfAbsent = db.transaction((fullKey: string, serialized: string, expires: number) => {
    dropExpired.run(fullKey, Date.now());
    return insertNew.run(fullKey, serialized, expires).changes === 1;
  });
  const indexUpsert = db.prepare('INSERT INTO portpilot_index (name, member, score) VALUES (?, ?, ?) ON CONFLICT(name, member) DO UPDATE SET score = excluded.score');
  const indexTrim = db.prepare(
    'DELETE FROM portpilot_index WHERE name = ? AND member IN (SELECT member FROM portpilot_index WHERE name = ? ORDER BY score DESC LIMIT -1 OFFSET ?)',
  );
  const indexRange = db.prepare('SELECT member FROM (SELECT member, score FROM portpilot_index WHERE name = ? ORDER BY score DESC LIMIT ?) ORDER BY score ASC');
  const indexDue = db.prepare('SELECT member FROM portpilot_index WHERE name = ? AND score <= ? ORDER BY score ASC LIMIT ?');
  const indexRemove = db.prepare('DELETE FROM portpilot_index WHERE name = ? AND member = ?');
  const lockTake = db.prepare(
    'INSERT INTO portpilot_locks (key, token, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET token = excluded.token, expires = excluded.expires WHERE portpilot_locks.expires <= ?',
  );
  const lockDrop = db.prepare('DELETE FROM portpilot_locks WHERE key = ? AND token = ?');
  const locksPurge = db.prepare('DELETE FROM portpilot_locks WHERE expires <= ?');
  let adds = 0;
  const addToIndex = (index: string, member: string, score: number) => {
    indexUpsert.run(index, member, score);
    if (++adds % 100 === 0) indexTrim.run(index, index, INDEX_CAP);
  };
  const setAndUnlock = db.transaction((fullKey: string, serialized: string, ttlMs: number, key: string, token: string, index: IndexEntry[]) => {
    adapter.write(fullKey, serialized, ttlMs);
    for (const e of index) addToIndex(e.index, e.member, e.score);
    lockDrop.run(key, token);
  });
  return {
    async setIfAbsent(fullKey, serialized, ttlMs) {
      return setIfAbsent.immediate(fullKey, serialized, Date.now() + ttlMs) as boolean;
    },
    async indexAdd(index, member, score) {
      addToIndex(index, member, score);
    },
    async indexMembers(index, limit) {
      return (indexRange.all(index, limit) as Array<{ member: string }>).map((r) => r.member);
    },
    async indexDue(index, maxScore, limit) {
      return (indexDue.all(index, maxScore, limit) as Array<{ member: string }>).map((r) => r.member);
    },
    async indexRemove(index, member) {
      indexRemove.run(index, member);
    },
    async tryLock(key, token, ttlMs) {
      const now = Date.now();
      return lockTake.run(key, token, now + ttlMs, now).changes === 1;
    },
    async unlock(key, token) {
      lockDrop.run(key, token);
    },
    async setAndUnlock(fullKey, serialized, ttlMs, key, token, index) {
      setAndUnlock.immediate(fullKey, serialized, ttlMs, key, token, index);
    },
    async purgeExpired() {
      locksPurge.run(Date.now());
      return adapter.purgeExpired();
    },
    async close() {},
  };
}

/** Redis: `SET NX PX` for set-if-absent and locks (released only by their token), a sorted set per index. */
function redisOps(client: () => Promise<RedisClientConnectionType>, namespace: string): AtomicOps {
  const indexKey = (index: string) => `${namespace}::index:${index}`;
  const lockKey = (key: string) => `${namespace}::lock:${key}`;
  const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  // The state, its index entries (KEYS[3..], score and member pairs from ARGV[5]) each trimmed to the cap, and the unlock.
  const SET_AND_RELEASE = [
    "redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])",
    'local cap = tonumber(ARGV[4])',
    "for i = 3, #KEYS do redis.call('zadd', KEYS[i], ARGV[1 + i * 2 - 2], ARGV[2 + i * 2 - 2]) redis.call('zremrangebyrank', KEYS[i], 0, -cap - 1) end",
    "if redis.call('get', KEYS[2]) == ARGV[3] then redis.call('del', KEYS[2]) end",
    'return 1',
  ].join(' ');
  const redis = async () => (await client()) as unknown as RedisCommands;
  return {
    async setIfAbsent(fullKey, serialized, ttlMs) {
      return (await (await redis()).set(fullKey, serialized, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
    async indexAdd(index, member, score) {
      const r = await redis();
      await r.zAdd(indexKey(index), { score, value: member });
      await r.zRemRangeByRank(indexKey(index), 0, -INDEX_CAP - 1);
    },
    async indexMembers(index, limit) {
      return (await redis()).zRange(indexKey(index), -limit, -1);
    },
    async indexDue(index, maxScore, limit) {
      return (await redis()).zRangeByScore(indexKey(index), '-inf', maxScore, { LIMIT: { offset: 0, count: limit } });
    },
    async indexRemove(index, member) {
      await (await redis()).zRem(indexKey(index), member);
    },
    async tryLock(key, token, ttlMs) {
      return (await (await redis()).set(lockKey(key), token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
    async unlock(key, token) {
      await (await redis()).eval(RELEASE, { keys: [lockKey(key)], arguments: [token] });
    },
    async setAndUnlock(fullKey, serialized, ttlMs, key, token, index) {
      await (await redis()).eval(SET_AND_RELEASE, {
        keys: [fullKey, lockKey(key), ...index.map((e) => indexKey(e.index))],
        arguments: [serialized, String(Math.ceil(ttlMs)), token, String(INDEX_CAP), ...index.flatMap((e) => [String(e.score), e.member])],
      });
    },
    // Redis expires keys itself.
    async purgeExpired() {
      return 0;
    },
    async close() {},
  };
}

/** The few Redis commands used here (the client's own types are a large union across client kinds). */
interface RedisCommands {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<string | null>;
  zAdd(key: string, member: { score: number; value: string }): Promise<number>;
  zRemRangeByRank(key: string, start: number, stop: number): Promise<number>;
  zRange(key: string, start: number, stop: number): Promise<string[]>;
  zRangeByScore(key: string, min: string | number, max: string | number, options: { LIMIT: { offset: number; count: number } }): Promise<string[]>;
  zRem(key: string, member: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}
