/**
 * Outcomes (issue #18): scripted conversations (resolved and rated, abandoned, escalated, not understood)
 * give exact funnel counts per reason, satisfaction counts and knowledge-gap groups, on every store.
 * Redis cases run when a Redis answers and are reported as skipped, with the reason, when none does.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { groupGaps, proposalYaml } from '../../src/outcomes/outcomes.js';
import { composeTestBot } from '../helpers/compose-test-bot.js';
import { GOOGLE_VOICE_WALKED_ROW, webCustomer } from '../helpers/web-customer.js';
import { REDIS_SKIP_REASON, STORE_KINDS } from '../helpers/stores.js';

for (const kind of STORE_KINDS) {
  const title = `outcomes on the ${kind.kind} store${kind.available ? '' : ` (skipped: ${REDIS_SKIP_REASON})`}`;
  describe.skipIf(!kind.available)(title, () => {
    it('GIVEN resolved, abandoned, escalated and unrecognised conversations THEN the funnel, ratings and gaps count each exactly once', async () => {
      const store = kind.factory()();
      const { bot, outcomes } = composeTestBot({ store });

      const resolved = webCustomer(bot, 'outcome-resolved-1');
      const summary = await resolved.walkGoogleVoiceToSummary();
      expect(summary.replies.some((r) => r.kind === 'summary')).toBe(true);
      await resolved.press('This helped');
      // Asked once: the closing choices no longer offer a rating.
      expect(JSON.stringify((await resolved.say('thanks')).replies)).not.toContain('This helped');

      const abandoned = webCustomer(bot, 'outcome-abandoned-1');
      await abandoned.say('my port got rejected because of a freeze on the account');

      const escalated = webCustomer(bot, 'outcome-escalated-1');
      await escalated.say('they rejected it, the pilot number of our hunt group is on the order');
      await escalated.say('I want to talk to a person');

      // Only guessed: offered for the customer to confirm, counted as suspected, not recognised.
      const vague = webCustomer(bot, 'outcome-vague-1');
      await vague.say('they bounced it, something about our main office line, no idea what that means');

      const lost = webCustomer(bot, 'outcome-lost-1');
      await lost.say('what is the weather like in Paris this week?');
      await lost.say('what will the weather be in Paris tomorrow?');

      // A day and a half after these conversations (the bot's clock is fixed at 2026-11-26 12:00).
      const report = await outcomes.report({ now: new Date('2026-11-28T00:00:00Z') });
      const row = (reason: string) => report.funnel.find((r) => r.reason === reason);
      expect(row('google_voice_unlock')).toEqual(GOOGLE_VOICE_WALKED_ROW);
      expect(row('freeze')).toEqual({ reason: 'freeze', recognised: 1, suspected: 0, walked: 1, details: 0, summary: 0, confirmed: 0, escalated: 0, abandoned: 1 });
      expect(row('hunt_group')).toMatchObject({ recognised: 1, suspected: 1, walked: 1, summary: 0, escalated: 1, abandoned: 0 });
      // Within the day, a walkthrough left open is still under way, not abandoned.
      expect((await outcomes.report({ now: new Date('2026-11-26T18:00:00Z') })).funnel.find((r) => r.reason === 'freeze')?.abandoned).toBe(0);
      // The vague message offered three possibilities: each is counted as suspected.
      expect(row('resporg')).toMatchObject({ recognised: 0, suspected: 1, walked: 0 });
      expect(row('remaining_services')).toMatchObject({ recognised: 0, suspected: 1, walked: 0 });
      expect(report.funnel.map((r) => r.reason).sort()).toEqual(['freeze', 'google_voice_unlock', 'hunt_group', 'remaining_services', 'resporg']);
      expect(report.satisfaction).toEqual({ helpful: 1, not_helpful: 0 });
      const weather = report.gaps.find((g) => /weather/.test(g.label));
      expect(weather).toMatchObject({ count: 2, kinds: { out_of_scope: 2 } });
      expect(report.volume).toHaveLength(1);
      expect(report.volume[0]).toMatchObject({ recognised: 3, summary: 1, escalated: 1 });
      expect(JSON.stringify(report)).not.toMatch(/google voice number can't be ported/);
      await store.close();
    });
  });
}

describe('knowledge-gap groups', () => {
  it('GIVEN messages about the same thing in other words THEN they form one group, apart from an unrelated one', () => {
    const at = '2026-11-26T12:00:00.000Z';
    const groups = groupGaps([
      { at, kind: 'out_of_scope', text: 'can I keep my voicemail greetings after the port?', nearest: 'out_of_scope' },
      { at, kind: 'out_of_scope', text: 'will my voicemail greetings move too', nearest: 'out_of_scope' },
      { at, kind: 'unsure', text: 'the voicemail greetings, do they survive the port?', nearest: 'foc_date' },
      { at, kind: 'out_of_scope', text: 'how do I get an invoice for my company', nearest: 'out_of_scope' },
    ]);
    expect(groups.map((g) => g.count)).toEqual([3, 1]);
    expect(groups[0]!.label).toMatch(/voicemail/);
    expect(groups[0]!.kinds).toEqual({ out_of_scope: 2, unsure: 1 });
  });
});

describe('turning a group into training examples', () => {
  it('GIVEN a group of messages not understood THEN the proposal for review lists every one as an example of the chosen intent, as valid YAML', () => {
    const at = '2026-11-26T12:00:00.000Z';
    const [group] = groupGaps([
      { at, kind: 'out_of_scope', text: 'will my voicemail greetings move with the number?', nearest: 'out_of_scope' },
      { at, kind: 'unsure', text: 'do voicemail greetings "survive" a port', nearest: null },
    ]);
    const proposal = parse(proposalYaml(group!, 'out_of_scope', new Date(at))) as { intent: string; examples: string[] };
    expect(proposal).toEqual({ intent: 'out_of_scope', examples: ['will my voicemail greetings move with the number?', 'do voicemail greetings "survive" a port'] });
  });
});
