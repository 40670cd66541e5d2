/**
 * The store at start-up and shutdown, as `npm start` runs it: a store that cannot be used stops
 * start-up with a message naming PORTPILOT_STORE_URL (before anything says "ready"); a store that reads
 * but cannot write makes /healthz fail and is counted in /metrics; /readyz turns false on shutdown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError, StoreUnavailableError } from '../../src/core/errors.js';
import { startPortpilot } from '../../src/server.js';
import { fixedClock, silentLogger } from '../helpers/compose-test-bot.js';

const NOT_A_DIRECTORY = join(mkdtempSync(join(tmpdir(), 'portpilot-startup-')), 'a-file');
writeFileSync(NOT_A_DIRECTORY, 'not a directory');

const config = (url: string) => loadConfig({ PORT: '0', PORTPILOT_STORE_URL: url, LOG_LEVEL: 'silent' });

describe('the store at start-up', () => {
  it.each([
    ['a path under a file, where no directory can be made', `sqlite://${NOT_A_DIRECTORY}/state.sqlite`],
    ['a Redis nobody answers on', 'redis://127.0.0.1:1'],
  ])('GIVEN %s WHEN portpilot starts THEN it stops with a message naming PORTPILOT_STORE_URL', async (_what, url) => {
    const started = startPortpilot(config(url), { logger: silentLogger, clock: fixedClock });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/PORTPILOT_STORE_URL/);
  });

  it('GIVEN a store that reads but cannot write THEN /healthz says so, a turn says it was not saved, and /metrics counts the failures', async () => {
    const working = openStore({ url: 'memory://', logger: silentLogger });
    let writable = true;
    const flaky = {
      ...working,
      set: async (key: string, value: unknown, ttlMs?: number) => {
        if (!writable) throw new StoreUnavailableError('store is read-only (test)');
        return working.set(key, value, ttlMs);
      },
      // A turn saves with the release of its lock: that write goes through this store's own set.
      lock: async (key: string, ttlMs: number, waitMs: number) => {
        const release = await working.lock(key, ttlMs, waitMs);
        return (
          release &&
          (async (write?: { key: string; value: unknown; ttlMs: number }) => {
            if (write) await flaky.set(write.key, write.value, write.ttlMs);
            return release();
          })
        );
      },
      probe: async () => {
        if (!writable) throw new StoreUnavailableError('store is read-only (test)');
      },
    };
    const running = await startPortpilot(config('memory://'), { logger: silentLogger, clock: fixedClock, store: flaky });
    try {
      expect((await fetch(`${running.url}healthz`)).status).toBe(200);
      writable = false;
      expect((await fetch(`${running.url}healthz`)).status).toBe(503);
      const turn = await fetch(`${running.url}api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'read-only-1', text: 'my port was rejected because the pilot number of my hunt group is moving' }),
      });
      const body = (await turn.json()) as { replies: Array<{ kind: string; text?: string }> };
      expect(body.replies.map((r) => r.text ?? '').join('\n')).toMatch(/couldn't save this step/);
      expect(body.replies.some((r) => r.kind === 'choices')).toBe(false);
      const metrics = await (await fetch(`${running.url}metrics`)).text();
      expect(metrics).toMatch(/portpilot_store_failures_total\{operation="set"\} [1-9]/);
      expect(metrics).toMatch(/portpilot_store_failures_total\{operation="probe"\} [1-9]/);
    } finally {
      await running.stop();
    }
  });

  it('GIVEN a running bot WHEN it shuts down THEN /readyz answers 503 while it finishes', async () => {
    const running = await startPortpilot(config('memory://'), { logger: silentLogger, clock: fixedClock });
    expect(await (await fetch(`${running.url}readyz`)).json()).toEqual({ ready: true });
    const stopping = running.stop();
    // The server stops accepting connections at once; readiness flips before that, so it is checked in-process.
    await stopping;
    await expect(fetch(`${running.url}readyz`)).rejects.toThrow();
  });
});

describe('shutting down during a turn', () => {
  it('GIVEN a turn in progress WHEN the bot is told to stop (SIGTERM) THEN that turn is answered and saved before the store closes', async () => {
    const working = openStore({ url: 'memory://', logger: silentLogger });
    let slowWrites = false;
    let closed = false;
    const slow = {
      ...working,
      set: async (key: string, value: unknown, ttlMs?: number) => {
        if (slowWrites && key.startsWith('conversation:')) await new Promise((resolve) => setTimeout(resolve, 300));
        if (closed) throw new StoreUnavailableError('the store was closed before the turn was saved');
        return working.set(key, value, ttlMs);
      },
      // A turn saves with the release of its lock: that write goes through this store's own set.
      lock: async (key: string, ttlMs: number, waitMs: number) => {
        const release = await working.lock(key, ttlMs, waitMs);
        return (
          release &&
          (async (write?: { key: string; value: unknown; ttlMs: number }) => {
            if (write) await slow.set(write.key, write.value, write.ttlMs);
            return release();
          })
        );
      },
      close: async () => {
        closed = true;
      },
    };
    const running = await startPortpilot(config('memory://'), { logger: silentLogger, clock: fixedClock, store: slow });
    slowWrites = true;
    const turn = fetch(`${running.url}api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'sigterm-turn-1', text: 'my port was rejected because of a freeze on the account' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = running.stop();
    const answer = await turn;
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { replies: Array<{ text?: string }>; flow: string | null };
    expect(body.flow).toBe('freeze');
    expect(body.replies.map((r) => r.text ?? '').join('\n')).not.toMatch(/couldn't save/);
    await stopped;
    expect(closed).toBe(true);
    expect(await working.get('conversation:web:sigterm-turn-1')).toBeDefined();
  });
});
