/**
 * One contract for every store behind `PORTPILOT_STORE_URL` (memory, SQLite, Redis): what the bot
 * relies on when one or several instances share it. Redis cases run when a Redis answers (CI starts
 * one) and are reported as skipped, with the reason, when none does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import keyvTestSuite from '@keyv/test-suite';
import * as vitest from 'vitest';
import { KeyvLibsql } from '../../src/adapters/store/keyv-libsql.js';
import type { ConversationStore } from '../../src/core/ports.js';
import { createCaseStore } from '../../src/handoff/case-store.js';
import { caseFileSchema, type CaseFile } from '../../src/handoff/case-file.js';
import { STORE_KINDS } from '../helpers/stores.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function caseFile(id: string, createdAt: string): CaseFile {
  return caseFileSchema.parse({
    v: 1,
    id,
    status: 'open',
    channel: 'web',
    conversationKey: `web:${id}`,
    customer: { id: `web:${id}` },
    trigger: 'asked',
    blocker: 'the customer asked for a person',
    reasons: [],
    facts: {},
    answers: {},
    stepsDone: {},
    summary: [],
    transcript: [],
    notes: [],
    actions: [],
    createdAt,
    claimedBy: null,
    claimedAt: null,
    closedAt: null,
    resolution: null,
    unclaimedNoticeSent: false,
  });
}

for (const kind of STORE_KINDS) {
  describe.skipIf(!kind.available)(`the ${kind.kind} store`, () => {
    const open = kind.factory();
    const opened: ConversationStore[] = [];
    const store = (): ConversationStore => {
      const s = open();
      if (!opened.includes(s)) opened.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
    });

    it('GIVEN a value written WHEN it is read back THEN it is the same, and gone after delete', async () => {
      const s = store();
      await s.set('conversation:a', { step: 'pilot', answers: ['312 555 0114'] }, 60_000);
      expect(await s.get('conversation:a')).toEqual({ step: 'pilot', answers: ['312 555 0114'] });
      await s.delete('conversation:a');
      expect(await s.get('conversation:a')).toBeUndefined();
    });

    it('GIVEN a value with a short TTL WHEN the TTL passes THEN it reads as absent and a purge removes it', async () => {
      const s = store();
      await s.set('conversation:short', 1, 30);
      await s.set('conversation:long', 2, 60_000);
      await sleep(60);
      expect(await s.get('conversation:short')).toBeUndefined();
      await s.purgeExpired();
      expect(await s.get('conversation:long')).toBe(2);
    });

    it('GIVEN 20 callers at once WHEN each tries set-if-absent on one key THEN exactly one wins and its value is read', async () => {
      const s = store();
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => s.setIfAbsent('claim:x', `staff-${i}`, 60_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await s.get('claim:x')).toBe(`staff-${wins.indexOf(true)}`);
      expect(await s.setIfAbsent('claim:x', 'late', 60_000)).toBe(false);
    });

    it('GIVEN a set-if-absent key that expired WHEN it is set again THEN the new caller wins', async () => {
      const s = store();
      expect(await s.setIfAbsent('seen:evt', 1, 30)).toBe(true);
      await sleep(60);
      expect(await s.setIfAbsent('seen:evt', 2, 60_000)).toBe(true);
      expect(await s.get('seen:evt')).toBe(2);
    });

    it('GIVEN a lock held WHEN another caller asks THEN it waits and gets it only after the release', async () => {
      const s = store();
      const release = await s.lock('conversation:web:l1', 5_000, 0);
      expect(release).not.toBeNull();
      expect(await s.lock('conversation:web:l1', 5_000, 20)).toBeNull();
      const waiting = s.lock('conversation:web:l1', 5_000, 2_000);
      await sleep(30);
      await release!();
      const next = await waiting;
      expect(next).not.toBeNull();
      await next!();
    });

    it('GIVEN a lock held WHEN it is released with a write THEN the value reads back as set wrote it, expires with its TTL, and the lock is free', async () => {
      const s = store();
      const release = await s.lock('conversation:web:save', 5_000, 0);
      await release!({ key: 'conversation:web:save', value: { turn: 3, answers: ['312 555 0114'] }, ttlMs: 60_000 });
      expect(await s.get('conversation:web:save')).toEqual({ turn: 3, answers: ['312 555 0114'] });
      const again = await s.lock('conversation:web:save', 5_000, 0);
      expect(again).not.toBeNull();
      await again!({ key: 'conversation:web:short', value: 'soon gone', ttlMs: 30 });
      expect(await s.get('conversation:web:short')).toBe('soon gone');
      await sleep(60);
      expect(await s.get('conversation:web:short')).toBeUndefined();
    });

    it('GIVEN a lock released with a write and index entries THEN the entries are in their indexes, in score order, with the value', async () => {
      const s = store();
      const release = await s.lock('conversation:web:counted', 5_000, 0);
      await release!({
        key: 'conversation:web:counted',
        value: { turn: 1 },
        ttlMs: 60_000,
        index: [
          { index: 'contract:stage:a', member: 'web:counted', score: 20 },
          { index: 'contract:stage:a', member: 'web:earlier', score: 10 },
          { index: 'contract:stage:b', member: 'web:counted', score: 5 },
        ],
      });
      expect(await s.get('conversation:web:counted')).toEqual({ turn: 1 });
      expect(await s.indexMembers('contract:stage:a', 10)).toEqual(['web:earlier', 'web:counted']);
      expect(await s.indexMembers('contract:stage:b', 10)).toEqual(['web:counted']);
      expect(await s.lock('conversation:web:counted', 5_000, 0)).not.toBeNull();
    });

    it('GIVEN a holder that never releases WHEN its TTL passes THEN the lock can be taken again', async () => {
      const s = store();
      expect(await s.lock('conversation:web:dead', 40, 0)).not.toBeNull();
      expect(await s.lock('conversation:web:dead', 5_000, 500)).not.toBeNull();
    });

    it('GIVEN members added to an index WHEN it is read THEN the newest come back, oldest first', async () => {
      const s = store();
      for (let i = 0; i < 30; i++) await s.indexAdd('test-index', `m${i}`, 1_000 + i);
      expect(await s.indexMembers('test-index', 5)).toEqual(['m25', 'm26', 'm27', 'm28', 'm29']);
      expect(await s.indexMembers('no-such-index', 5)).toEqual([]);
    });

    it('GIVEN members with times WHEN asked what is due by a time THEN those at or before it come, earliest first, and a removed one no more', async () => {
      const s = store();
      await s.indexAdd('due-index', 'later', 3_000);
      await s.indexAdd('due-index', 'first', 1_000);
      await s.indexAdd('due-index', 'second', 2_000);
      expect(await s.indexDue('due-index', 2_000, 10)).toEqual(['first', 'second']);
      await s.indexRemove('due-index', 'first');
      expect(await s.indexDue('due-index', 5_000, 10)).toEqual(['second', 'later']);
    });

    it('GIVEN a working store WHEN probed THEN the probe passes', async () => {
      await expect(store().probe()).resolves.toBeUndefined();
    });

    if (kind.shared)
      it('GIVEN two instances on the store WHEN 50 cases are opened at once across them THEN all 50 are in the queue', async () => {
        const second = open();
        opened.push(second);
        const a = createCaseStore(store());
        const b = createCaseStore(second);
        const created = Array.from({ length: 50 }, (_, i) => caseFile(`C-T${String(i).padStart(4, '0')}`, new Date(Date.UTC(2026, 11, 1, 9, 0, i)).toISOString()));
        await Promise.all(created.map((file, i) => (i % 2 === 0 ? a : b).create(file)));
        const listed = (await a.list()).map((c) => c.id);
        expect(new Set(listed)).toEqual(new Set(created.map((c) => c.id)));
        expect((await b.list()).length).toBe(50);
      });

    if (kind.shared)
      it('GIVEN two instances WHEN both take one lock at once THEN exactly one holds it', async () => {
        const [x, y] = [store(), open()];
        opened.push(y);
        const [first, second] = await Promise.all([x.lock('conversation:web:both', 5_000, 0), y.lock('conversation:web:both', 5_000, 0)]);
        expect([first, second].filter((r) => r !== null)).toHaveLength(1);
        await (first ?? second)!();
      });
  });
}

describe("KeyvLibsql passes keyv's own store test suite", () => {
  keyvTestSuite(vitest, Keyv, () => new KeyvLibsql({ path: ':memory:' }) as never);
});

describe('KeyvLibsql on a file', () => {
  it('GIVEN writes to the file WHEN its checkpoint interval passes THEN the log is copied into the database off the writes themselves', async () => {
    const { mkdtempSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'portpilot-wal-')), 'state.sqlite');
    const adapter = new KeyvLibsql({ path, checkpointEveryMs: 30 });
    const sizeBefore = statSync(path).size;
    for (let i = 0; i < 200; i++) adapter.write(`k${i}`, JSON.stringify({ value: 'x'.repeat(1000), expires: Date.now() + 60_000 }), 60_000);
    // SQLite's own checkpoint is off: the writes alone leave the database file as it was.
    expect(statSync(path).size).toBe(sizeBefore);
    await new Promise((done) => setTimeout(done, 120));
    expect(statSync(path).size).toBeGreaterThan(sizeBefore + 100_000);
    await adapter.disconnect();
  });
});
