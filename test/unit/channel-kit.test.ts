/**
 * The channel kit (src/adapters/channel/): what every channel does the same way, tested once here and
 * through each channel's own end-to-end tests.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { createDeliveryLedger } from '../../src/adapters/channel/delivery-ledger.js';
import { createRecentPlaces } from '../../src/adapters/channel/recent-places.js';
import { postReplies, type ReplySurface } from '../../src/adapters/channel/reply-routing.js';
import { apologyFor, createTurnBoundary } from '../../src/adapters/channel/turn-boundary.js';
import { createTurnQueue } from '../../src/adapters/channel/turn-queue.js';
import { StoreUnavailableError } from '../../src/core/errors.js';
import type { ConversationStore, Logger } from '../../src/core/ports.js';
import type { Reply } from '../../src/core/types.js';
import { EN } from '../../src/dialogue/messages/en.js';

function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_fields: object, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('per-conversation order', () => {
  it('GIVEN a slow first turn and a quick second one in one conversation THEN the second is answered after the first', async () => {
    const queue = createTurnQueue();
    const posted: string[] = [];
    await Promise.all([
      queue('slack:T1:D1', async () => {
        await sleep(40);
        posted.push('first');
      }),
      queue('slack:T1:D1', async () => void posted.push('second')),
    ]);
    expect(posted).toEqual(['first', 'second']);
  });

  it('GIVEN a failed turn THEN the next turn of that conversation still runs', async () => {
    const queue = createTurnQueue();
    const failed = queue('c', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue('c', async () => 'next')).resolves.toBe('next');
  });

  it('GIVEN two conversations THEN a slow one does not hold up the other', async () => {
    const queue = createTurnQueue();
    const posted: string[] = [];
    const slow = async () => {
      await sleep(40);
      posted.push('a');
    };
    await Promise.all([queue('a', slow), queue('b', async () => void posted.push('b'))]);
    expect(posted).toEqual(['b', 'a']);
  });
});

describe('de-duplication of deliveries', () => {
  it('GIVEN the same event delivered twice (a retry, a second instance) THEN only the first is answered, until it is forgotten', async () => {
    const store = openStore({ url: 'memory://', logger: recordingLogger() });
    const ledger = createDeliveryLedger({ store, logger: recordingLogger(), channel: 'slack', ttlMs: 60_000 });
    expect(await ledger.isFirst(['event:Ev1', 'message:T1:C1:1.0'])).toBe(true);
    expect(await ledger.isFirst(['event:Ev2', 'message:T1:C1:1.0'])).toBe(false);
    await ledger.forget(['message:T1:C1:1.0']);
    expect(await ledger.isFirst(['message:T1:C1:1.0'])).toBe(true);
  });

  it('GIVEN the store is down THEN the delivery is answered anyway (the turn then says the store is down) and a warning is logged', async () => {
    const down = { setIfAbsent: async () => Promise.reject(new StoreUnavailableError('down')) } as unknown as ConversationStore;
    const logger = recordingLogger();
    const ledger = createDeliveryLedger({ store: down, logger, channel: 'discord', ttlMs: 60_000 });
    expect(await ledger.isFirst(['message:1'])).toBe(true);
    expect(logger.lines).toContainEqual({ level: 'warn', msg: 'discord: de-duplication unavailable (the store cannot be reached)' });
  });
});

describe('where replies go', () => {
  const replies: Reply[] = [
    { kind: 'text', text: 'Never type a PIN here.', private: true },
    { kind: 'choices', text: 'Which fits?', choices: [{ id: 'a', label: 'A' }] },
  ];
  const surface = (isPublic: boolean) => {
    const seen: string[] = [];
    const s: ReplySurface = {
      isPublic,
      post: async (r) => void seen.push(`public:${r.kind}`),
      postPrivately: async (r) => void seen.push(`private:${r.kind}`),
    };
    return { s, seen };
  };

  it('GIVEN a thread others can read THEN a private note goes to the customer alone and the rest in the thread, in order', async () => {
    const { s, seen } = surface(true);
    await postReplies(s, replies);
    expect(seen).toEqual(['private:text', 'public:choices']);
  });

  it('GIVEN a DM THEN everything is posted in it', async () => {
    const { s, seen } = surface(false);
    await postReplies(s, replies);
    expect(seen).toEqual(['public:text', 'public:choices']);
  });

  it('GIVEN a refused press THEN every reply reaches only the presser', async () => {
    const { s, seen } = surface(true);
    await postReplies(s, replies, { allPrivate: true });
    expect(seen).toEqual(['private:text', 'private:choices']);
  });
});

describe('places answered lately', () => {
  it('GIVEN more places than its limit THEN the oldest is forgotten first, and one used again counts as new', () => {
    const recent = createRecentPlaces(2);
    recent.remember('a');
    recent.remember('b');
    recent.remember('a');
    recent.remember('c');
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([true, false, true]);
  });
});

describe('the turn boundary', () => {
  it('GIVEN the store is down THEN the customer is told so; any other failure gets the plain apology; a channel reason wins', () => {
    expect(apologyFor(new StoreUnavailableError('down'))).toBe(EN.storeDown);
    expect(apologyFor(new Error('bug'))).toBe(EN.internalError);
    expect(apologyFor(new Error('not_in_channel'), () => 'I cannot post in this channel.')).toBe('I cannot post in this channel.');
  });

  it('GIVEN a failing turn whose apology cannot be delivered either THEN both are logged and nothing throws', async () => {
    const logger = recordingLogger();
    const guarded = createTurnBoundary({ channel: 'slack', logger });
    const told: string[] = [];
    await guarded(
      async (text) => void told.push(text),
      async () => Promise.reject(new Error('bug')),
    );
    expect(told).toEqual([EN.internalError]);
    await expect(
      guarded(
        async () => Promise.reject(new Error('channel gone')),
        async () => Promise.reject(new Error('bug')),
      ),
    ).resolves.toBeUndefined();
    expect(logger.lines.map((l) => l.msg)).toEqual(['slack turn failed', 'slack turn failed', 'slack could not tell the customer about a failure']);
  });

  it('GIVEN a harmless failure (another instance answered first) THEN nothing is said or logged', async () => {
    const logger = recordingLogger();
    const guarded = createTurnBoundary({ channel: 'discord', logger, isHarmless: (e) => (e as { code?: number }).code === 40060 });
    const told: string[] = [];
    await guarded(
      async (text) => void told.push(text),
      async () => Promise.reject(Object.assign(new Error('acknowledged'), { code: 40060 })),
    );
    expect(told).toEqual([]);
    expect(logger.lines).toEqual([]);
  });
});
