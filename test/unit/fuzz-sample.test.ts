/** A small sample of the generated conversations `npm run fuzz` runs by the thousand. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { composeTestBot } from '../helpers/compose-test-bot.js';
import { checkConversation, conversationArbitrary } from '../fuzz/bot-properties.js';

describe('the bot under generated input (sample)', () => {
  it('GIVEN 150 generated conversations THEN no crash, bounded replies, no live mass mention, no secret echoed or stored, state parses', async () => {
    const { bot, store } = composeTestBot();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(conversationArbitrary, (steps) => checkConversation(bot, store, `web:fuzz-sample-${n++}`, steps)),
      { numRuns: 150, seed: 20261201 },
    );
  });
});
