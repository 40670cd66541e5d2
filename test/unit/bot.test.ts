import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { replyToText, type InboundMessage, type TurnResult } from '../../src/core/types.js';
import { EN } from '../../src/dialogue/messages/en.js';
import { composeTestBot, silentLogger } from '../helpers/compose-test-bot.js';

const msg = (conversationKey: string, body: { text?: string; choice?: string; start?: string }): InboundMessage => ({
  channel: 'test',
  conversationKey,
  actor: { id: 'u1' },
  ...body,
});

describe('bot core', () => {
  const { bot, store } = composeTestBot();

  it('GIVEN a button from an earlier message WHEN pressed THEN it is refused politely and the current question is repeated', async () => {
    const first = await bot.handle(msg('stale-1', { text: 'hello' }));
    const oldChoice = first.replies.at(-1)!;
    expect(oldChoice.kind).toBe('choices');
    await bot.handle(msg('stale-1', { text: 'rejected because of a hunt group' }));
    const stale = await bot.handle(msg('stale-1', { choice: (oldChoice as any).choices[0].id }));
    expect((stale.replies[0] as any).text).toMatch(/earlier question/);
    expect((stale.replies.at(-1) as any).text).toMatch(/Which numbers are you moving/);
    expect(stale.flow).toBe('hunt_group');
  });

  it('GIVEN a reason picked from a channel menu (a structured start) THEN its walkthrough begins, as if chosen from the bot menu', async () => {
    const started = await bot.handle(msg('start-1', { start: 'hunt_group' }));
    expect(started.flow).toBe('hunt_group');
    expect(started.replies.map(replyToText).join('\n')).toMatch(/pilot/i);
    const unknown = await bot.handle(msg('start-2', { start: 'no_such_reason' }));
    expect(unknown.flow).toBeNull();
    expect(unknown.replies.map(replyToText).join('\n')).toContain(EN.unknownChoice);
  });

  it('GIVEN "what is the LOA" with no walkthrough under way THEN the glossary answers it and no LOA walkthrough starts', async () => {
    const result = await bot.handle(msg('glossary-1', { text: 'what is the LOA' }));
    expect(result.flow).toBeNull();
    expect(result.replies.map(replyToText).join('\n')).toMatch(/^LOA \(letter of authorization\)/m);
  });

  it('GIVEN a value for a question not reached yet ("actually the account number is ...") THEN it is kept, that question is not asked, and the summary has it', async () => {
    const say = (text: string) => bot.handle(msg('later-1', { text }));
    const read = await say('REJECT: ACCT NBR INVALID');
    // A notice that only holds a code is read surely: no "it may also say" guess, the walkthrough starts.
    expect(read.flow).toBe('info_mismatch');
    expect(read.replies.map(replyToText).join('\n')).not.toMatch(/may also say/i);
    const noted = await say('actually the account number is 8812-4431');
    expect(noted.replies.map(replyToText).join('\n')).toContain('Noted: 8812-4431.');
    await say('no');
    const summary = await say('yes, I found the difference');
    const text = summary.replies.map(replyToText).join('\n');
    expect(text).toContain('Account number: 8812-4431');
    expect(text).not.toMatch(/write the account number exactly/);
  });

  it('GIVEN choices WHEN the customer types their number THEN that choice is taken', async () => {
    await bot.handle(msg('typed-1', { text: 'google voice port rejected: number locked' }));
    const typed = await bot.handle(msg('typed-1', { text: '2' }));
    expect(JSON.stringify(typed.replies)).toMatch(/Workspace administrator/);
  });

  it('GIVEN state saved by an unknown version WHEN the customer writes THEN the bot says so and carries on', async () => {
    await store.set('conversation:old-1', { v: 99, whatever: true });
    const result = await bot.handle(msg('old-1', { text: 'hi' }));
    expect((result.replies[0] as any).text).toMatch(/lost track/);
    expect(result.intent).toBe('greeting');
  });

  it('never repeats @everyone, @here or <!channel> from customer text', async () => {
    const result = await bot.handle(msg('mention-1', { text: '@everyone <!channel> @here my port got rejected, hunt group' }));
    const all = JSON.stringify(result.replies);
    expect(all).not.toMatch(/@everyone|@here|<!channel>/);
  });

  it('after three messages it cannot help with, brings in a person', async () => {
    let last: TurnResult | undefined;
    for (const text of ['zxqv blorp', 'qwertyuiop asdf', 'mmmm hmmm zzz']) last = await bot.handle(msg('miss-1', { text }));
    expect(last!.escalation).not.toBeNull();
    expect(JSON.stringify(last!.replies)).toMatch(/opened case C-/);
  });
});

describe('resume after a restart', () => {
  it('GIVEN a conversation on the SQLite store WHEN the process restarts THEN the same choices still work', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'portpilot-sqlite-')), 'state.sqlite');
    const url = `sqlite://${path}`;
    const firstStore = openStore({ url, logger: silentLogger });
    const first = composeTestBot({ store: firstStore });
    const before = await first.bot.handle(msg('restart-1', { text: 'google voice rejected the port, number still locked' }));
    await firstStore.close();

    const secondStore = openStore({ url, logger: silentLogger });
    const second = composeTestBot({ store: secondStore });
    const choice = (before.replies.at(-1) as any).choices[0];
    const after = await second.bot.handle(msg('restart-1', { choice: choice.id }));
    expect(after.flow).toBe('google_voice_unlock');
    expect(JSON.stringify(after.replies)).toMatch(/already unlocked the number/);
    await secondStore.close();
  });

  it('GIVEN a store that reads but cannot write WHEN the customer writes THEN they see the question without live buttons and are told it was not saved', async () => {
    const { StoreUnavailableError } = await import('../../src/core/errors.js');
    const working = openStore({ url: 'memory://', logger: silentLogger });
    const down = async () => {
      throw new StoreUnavailableError('store is down (test)');
    };
    // A turn saves with the release of its lock: that write fails too.
    const readOnly = {
      ...working,
      set: down,
      lock: async (key: string, ttlMs: number, waitMs: number) => {
        const release = await working.lock(key, ttlMs, waitMs);
        return release && ((write?: unknown) => (write ? down() : release()));
      },
    };
    const { bot: forgetful } = composeTestBot({ store: readOnly });
    const result = await forgetful.handle(msg('write-down-1', { text: 'rejected because of a hunt group' }));
    const texts = result.replies.map((r) => ('text' in r ? r.text : '')).join('\n');
    expect(texts).toMatch(/Which numbers are you moving/);
    expect(texts).toMatch(/couldn't save this step/);
    expect(result.replies.some((r) => r.kind === 'choices')).toBe(false);
    expect(result.flow).toBeNull();
    const yesNo = await forgetful.handle(msg('write-down-2', { text: 'my port order got rejected because the pilot number of my hunt group is moving' }));
    expect(yesNo.replies.some((r) => r.kind === 'choices')).toBe(false);
  });
});

describe('bounded state', () => {
  it('GIVEN a customer who switches between two reasons 100 times THEN each switch back resumes the paused walkthrough with its answers, and the saved state stays small', async () => {
    const { bot, store } = composeTestBot();
    await bot.handle(msg('switcher', { text: 'rejected because of a hunt group' }));
    await bot.handle(msg('switcher', { text: '312-555-0114, 312-555-0115' }));
    const sizes: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (const text of ['actually the account has a freeze on it', 'actually it is the hunt group problem']) {
        const offer = await bot.handle(msg('switcher', { text }));
        const switchChoice = offer.replies.flatMap((r) => (r.kind === 'choices' ? r.choices : [])).find((c) => /^Switch to/.test(c.label));
        expect(switchChoice).toBeDefined();
        await bot.handle(msg('switcher', { choice: switchChoice!.id }));
      }
      sizes.push(JSON.stringify(await store.get('conversation:switcher')).length);
    }
    const saved = (await store.get('conversation:switcher')) as { suspended: Array<{ id: string }>; flow: { id: string; slots: Record<string, unknown> } };
    expect(saved.flow.id).toBe('hunt_group');
    expect(Object.values(saved.flow.slots)).toContainEqual(['(312) 555-0114', '(312) 555-0115']);
    expect(saved.suspended.map((f) => f.id)).toEqual(['freeze']);
    expect(sizes.at(-1)!).toBeLessThanOrEqual(sizes[4]! + 200);
  });
});

describe('case files tell the whole story', () => {
  it('GIVEN a case waiting for a person WHEN the customer keeps writing 35 lines, misses included THEN every line is in the case file staff read', async () => {
    const { bot, store } = composeTestBot();
    const opened = await bot.handle(msg('story', { text: 'I want to talk to a person about my port' }));
    const lines = Array.from({ length: 35 }, (_, i) => (i % 4 !== 3 ? `qwzx blorp ${i}` : `line ${i}: the order is still stuck, it was PON-${1000 + i}`));
    for (const text of lines) await bot.handle(msg('story', { text }));
    const { createCaseStore } = await import('../../src/handoff/case-store.js');
    const file = await createCaseStore(store).get(opened.escalation!.id);
    const said = file!.transcript.filter((t) => t.from === 'customer').map((t) => t.text);
    for (const text of lines) expect(said).toContain(text);
  });
});
