/**
 * Properties of the Slack and Discord adapters' inbound parsing and rendering under generated input,
 * shared by `npm run fuzz` and a sample in `npm test`: whatever arrives in a button value, a custom id,
 * a conversation key or a message (forged, huge, binary, markup), parsing never throws and returns ours
 * or nothing; what we render stays inside the platforms' limits.
 */
import fc from 'fast-check';
import { decodeChoiceValue, encodeChoiceValue } from '../../src/adapters/slack/choice-value.js';
import { decodeClaimValue } from '../../src/adapters/slack/claim-value.js';
import { placeOfConversationKey as slackPlace } from '../../src/adapters/slack/conversation-key.js';
import { commandText, plainTextFromSlack } from '../../src/adapters/slack/inbound-text.js';
import { renderReply as renderSlack } from '../../src/adapters/slack/render-reply.js';
import { decodeClaimId, decodeComponentPress, encodeButtonId } from '../../src/adapters/discord/custom-id.js';
import { placeOfConversationKey as discordPlace } from '../../src/adapters/discord/conversation-key.js';
import { renderReply as renderDiscord, splitContent } from '../../src/adapters/discord/render.js';
import type { Reply } from '../../src/core/types.js';

const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('<!channel>', '<!here|here>', '<@U123>', '<#C123|general>', '<https://x.y|link>', '@everyone', 'pp:c:123:', 'pp:claim:C-ABC', 'portpilot:choice:', '\u0000'),
  fc.string({ maxLength: 20 }).map((s) => s.repeat(400)),
);
const anyValue = fc.oneof(anyText, fc.anything());
// biome-ignore lint/suspicious/noControlCharactersInRegex: a choice id never holds control characters
const choiceId = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
const snowflake = fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String);

const replyArbitrary: fc.Arbitrary<Reply> = fc.oneof(
  anyText.map((text) => ({ kind: 'text' as const, text })),
  fc
    .record({ text: anyText, choices: fc.array(fc.record({ id: choiceId, label: anyText.map((l) => l.slice(0, 75) || 'x') }), { minLength: 1, maxLength: 12 }) })
    .map((r) => ({ kind: 'choices' as const, ...r })),
  fc.record({ title: anyText, steps: fc.array(anyText, { maxLength: 15 }) }).map((r) => ({ kind: 'steps' as const, ...r })),
  fc
    .record({ title: anyText, sections: fc.array(fc.record({ heading: anyText, items: fc.array(anyText, { maxLength: 10 }) }), { maxLength: 8 }) })
    .map((r) => ({ kind: 'summary' as const, ...r })),
);

/** Each property; `runs` generated inputs each. */
export function adapterProperties(): Array<[string, fc.IProperty<never> | fc.IProperty<unknown[]>]> {
  return [
    [
      'Slack button values: anything decodes to one of our ids or nothing; our ids round-trip',
      fc.property(anyValue, choiceId, (value, id) => {
        const decoded = decodeChoiceValue(value);
        if (decoded !== undefined && typeof decoded !== 'string') throw new Error('decoded a non-string');
        if (decodeChoiceValue(encodeChoiceValue(id)) !== id) throw new Error(`round trip lost ${id}`);
        decodeClaimValue(value);
      }) as fc.IProperty<unknown[]>,
    ],
    [
      'Slack text and keys: parsing anything never throws',
      fc.property(anyText, (text) => {
        plainTextFromSlack(text, 'U0BOT');
        commandText(text);
        slackPlace(text);
      }) as fc.IProperty<unknown[]>,
    ],
    [
      'Discord custom ids: anything decodes to a press or nothing; ours round-trip',
      fc.property(anyText, fc.array(anyText, { maxLength: 3 }), snowflake, choiceId, (id, values, customer, choice) => {
        decodeComponentPress(id, values);
        decodeClaimId(id);
        discordPlace(id);
        const encoded = encodeButtonId(customer, choice);
        if (encoded.length > 100) throw new Error(`custom id of ${encoded.length} characters`);
        const back = decodeComponentPress(encoded);
        if (!back || back.choice !== choice || back.customer !== customer) throw new Error('button id round trip failed');
      }) as fc.IProperty<unknown[]>,
    ],
    [
      'rendering any reply: within Slack and Discord limits (mentions are made inert by the bot before rendering, and fuzzed there)',
      fc.property(replyArbitrary, snowflake, (reply, customer) => {
        const slack = renderSlack(reply);
        if ((slack.blocks?.length ?? 0) > 50) throw new Error(`${slack.blocks?.length} Slack blocks`);
        if (slack.text.length > 40_000) throw new Error('Slack text over 40,000 characters');
        for (const message of renderDiscord(reply, customer)) {
          if ((message.content ?? '').length > 2000) throw new Error('Discord content over 2,000 characters');
          if ((message.components?.length ?? 0) > 5) throw new Error('more than 5 Discord component rows');
        }
        for (const piece of splitContent(typeof reply === 'object' && reply.kind === 'text' ? reply.text : '')) if (piece.length > 2000) throw new Error('split piece over 2,000');
      }) as fc.IProperty<unknown[]>,
    ],
  ];
}
