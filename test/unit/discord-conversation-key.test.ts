/** The one codec between a Discord place and a conversation key: keys built by turns are read back by the outbox. */
import { describe, expect, it } from 'vitest';
import { conversationKeyOf, placeOfConversationKey } from '../../src/adapters/discord/conversation-key.js';

const ID = '900000000000000777';

describe('Discord conversation keys', () => {
  it('round-trips a DM and a thread', () => {
    expect(conversationKeyOf({ kind: 'dm', channelId: ID })).toBe(`discord:dm:${ID}`);
    expect(conversationKeyOf({ kind: 'thread', channelId: ID })).toBe(`discord:thread:${ID}`);
    for (const kind of ['dm', 'thread'] as const) expect(placeOfConversationKey(conversationKeyOf({ kind, channelId: ID }))).toEqual({ kind, channelId: ID });
  });

  it("never reads another kind of key, another channel's key or a malformed key as a customer place", () => {
    for (const key of [`discord:staff:${ID}`, `slack:T1:C1`, `terminal:${ID}`, `discord:dm:`, `discord:dm:abc`, `discord:thread:${ID}:x`, `discord:group:${ID}`]) {
      expect(placeOfConversationKey(key)).toBeUndefined();
    }
  });

  it('refuses to build a key from something that is not a Discord id (a bug)', () => {
    expect(() => conversationKeyOf({ kind: 'dm', channelId: 'general' })).toThrow(RangeError);
  });
});
