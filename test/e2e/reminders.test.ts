/**
 * Reminders promised by a fix summary: kept in the store (they survive a restart), sent on their day
 * on the customer's channel, once, even when two instances look for due reminders at the same moment.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.js';
import { composeTestBot } from '../helpers/compose-test-bot.js';
import { webCustomer } from '../helpers/web-customer.js';
import { STORE_KINDS } from '../helpers/stores.js';

const say = (text: string) => ({ channel: 'web', conversationKey: 'web:reminded', actor: { id: 'web:reminded' }, text });
const textOf = (replies: Reply[]) => replies.map((r) => ('text' in r ? r.text : r.kind === 'summary' ? r.sections.map((s) => s.items.join(' ')).join(' ') : '')).join('\n');

for (const kind of STORE_KINDS.filter((k) => k.shared)) {
  describe.skipIf(!kind.available)(`reminders on the ${kind.kind} store`, () => {
    it('GIVEN a freeze not yet lifted at a landline carrier WHEN the summary is given THEN a reminder is promised and sent once on its day by one of two instances, after a restart', async () => {
      const open = kind.factory();
      const first = composeTestBot({ store: open() });
      await first.bot.handle(say('my port was rejected because of a freeze on the account'));
      await first.bot.handle(say('it is with a landline provider, Frontier'));
      const finished = await first.bot.handle(say('no'));
      // The fixed clock says Thursday, November 26, 2026; two business days later is Monday, November 30.
      expect(textOf(finished.replies)).toMatch(/I'll send you a reminder here on Monday, November 30/);
      await first.store.close();

      // A restart: two new instances on the same store, each with the web channel's delivery.
      const delivered: Array<{ instance: string; key: string; text: string }> = [];
      const instances = ['a', 'b'].map((name) => {
        const composition = composeTestBot({ store: open() });
        composition.outbox.register('web', {
          async toConversation(conversationKey, replies) {
            delivered.push({ instance: name, key: conversationKey, text: textOf(replies) });
          },
        });
        return composition;
      });
      const dayBefore = new Date('2026-11-29T20:00:00Z');
      expect(await Promise.all(instances.map((i) => i.reminders.sendDue(dayBefore)))).toEqual([0, 0]);
      const onTheDay = new Date('2026-11-30T15:00:00Z');
      const sent = await Promise.all(instances.map((i) => i.reminders.sendDue(onTheDay)));
      expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.key).toBe('web:reminded');
      expect(delivered[0]!.text).toMatch(/A reminder about "A freeze or port lock is blocking your number": from today, Monday, November 30, you can resubmit/);
      expect(await instances[0]!.reminders.sendDue(new Date('2026-12-01T15:00:00Z'))).toBe(0);
      for (const i of instances) await i.store.close();
    });
  });
}

describe('the check-in a week after the summary', () => {
  it('GIVEN a finished walkthrough WHEN the check-in is due THEN the customer is asked, with buttons, whether the order went through, and "it went through" is counted as confirmed', async () => {
    const { bot, reminders, outbox, outcomes, store } = composeTestBot();
    const asked: Reply[][] = [];
    outbox.register('web', {
      async toConversation(_key, replies) {
        asked.push(replies);
      },
    });
    const turn = (body: { text?: string; choice?: string }) => bot.handle({ channel: 'web', conversationKey: 'web:checked-in', actor: { id: 'web:checked-in' }, ...body });
    const choiceIn = (replies: Reply[], label: string) => replies.flatMap((r) => (r.kind === 'choices' ? r.choices : [])).find((c) => c.label === label)!.id;
    const last = await webCustomer(bot, 'checked-in').walkGoogleVoiceToSummary();
    expect(last.replies.some((r) => r.kind === 'summary')).toBe(true);

    // The bot's clock says Thursday, November 26: a week later is Thursday, December 3.
    expect(await reminders.sendDue(new Date('2026-12-02T15:00:00Z'))).toBe(0);
    expect(await reminders.sendDue(new Date('2026-12-03T15:00:00Z'))).toBe(1);
    expect(asked).toHaveLength(1);
    expect(textOf(asked[0]!)).toMatch(/did it go through after you resubmitted it/);
    const answer = await turn({ choice: choiceIn(asked[0]!, 'Yes, it went through') });
    expect(answer.press).toBe('accepted');
    expect(textOf(answer.replies)).toMatch(/Great news/);
    const report = await outcomes.report({ now: new Date('2026-12-03T16:00:00Z') });
    expect(report.funnel.find((r) => r.reason === 'google_voice_unlock')).toMatchObject({ summary: 1, confirmed: 1 });
    await store.close();
  });
});
