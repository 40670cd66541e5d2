/** A web customer talking to the bot core directly: types, presses a choice of the last turn by its label. */
import type { Bot } from '../../src/bot.js';
import type { InboundMessage, TurnResult } from '../../src/core/types.js';

/** The outcome-funnel row one customer leaves by `walkGoogleVoiceToSummary`: recognised, walked, answered, summarised. */
export const GOOGLE_VOICE_WALKED_ROW = {
  reason: 'google_voice_unlock',
  recognised: 1,
  suspected: 0,
  walked: 1,
  details: 1,
  summary: 1,
  confirmed: 0,
  escalated: 0,
  abandoned: 0,
} as const;

export function webCustomer(bot: Bot, key: string) {
  let last: TurnResult | undefined;
  const send = async (body: Pick<InboundMessage, 'text' | 'choice'>) => {
    last = await bot.handle({ channel: 'web', conversationKey: `web:${key}`, actor: { id: key }, ...body });
    return last;
  };
  return {
    say: (text: string) => send({ text }),
    press: (label: string) => {
      const choice = last?.replies.flatMap((r) => (r.kind === 'choices' ? r.choices : [])).find((c) => c.label === label);
      if (!choice) throw new Error(`no choice "${label}" in the last turn`);
      return send({ choice: choice.id });
    },
    /** The Google Voice rejection walked to its fix summary (the last turn returned). */
    async walkGoogleVoiceToSummary(): Promise<TurnResult> {
      await send({ text: "my google voice number can't be ported, they say it's locked" });
      await this.press('Personal Google Voice');
      await this.press('No');
      return this.press("Done, it's unlocked");
    },
  };
}
