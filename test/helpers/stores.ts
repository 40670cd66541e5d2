/**
 * The stores a contract test runs against: memory, an SQLite file, and Redis when one answers on
 * 127.0.0.1:6379 (CI starts one; without it the Redis cases are skipped and say why). Every store
 * gets its own namespace or file, so runs never see each other's keys.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.js';
import type { ConversationStore } from '../../src/core/ports.js';
import { silentLogger } from './compose-test-bot.js';

export const REDIS_URL = process.env.PORTPILOT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Whether Redis answers a PING on the test URL's host and port (checked once, within half a second). */
export async function redisAnswers(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export const REDIS_UP = await redisAnswers();
export const REDIS_SKIP_REASON = `Redis is not answering at ${REDIS_URL} (start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; .ci/run does)`;
if (!REDIS_UP) console.warn(`skipping the Redis store tests: ${REDIS_SKIP_REASON}`);

export interface StoreKindUnderTest {
  kind: 'memory' | 'sqlite' | 'redis';
  /** Whether two opened stores share their data (two instances on one store). */
  shared: boolean;
  available: boolean;
  /** A store factory: every call of one factory opens the same underlying store. */
  factory(): () => ConversationStore;
}

export const STORE_KINDS: StoreKindUnderTest[] = [
  {
    kind: 'memory',
    shared: false,
    available: true,
    factory: () => {
      const store = openStore({ url: 'memory://', logger: silentLogger });
      return () => store;
    },
  },
  {
    kind: 'sqlite',
    shared: true,
    available: true,
    factory: () => {
      const file = join(mkdtempSync(join(tmpdir(), 'portpilot-store-')), 'state.sqlite');
      return () => openStore({ url: `sqlite://${file}`, logger: silentLogger });
    },
  },
  {
    kind: 'redis',
    shared: true,
    available: REDIS_UP,
    factory: () => {
      const namespace = `portpilot-test-${randomUUID().slice(0, 8)}`;
      return () => openStore({ url: REDIS_URL, logger: silentLogger, namespace });
    },
  },
];
