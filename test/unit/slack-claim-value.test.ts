/** The Claim button's value codec, and the conversation-key codec the outbox reads places from. */
import { describe, expect, it } from 'vitest';
import { decodeClaimValue, encodeClaimValue } from '../../src/adapters/slack/claim-value.js';
import { conversationKey, placeOfConversationKey, type Place } from '../../src/adapters/slack/conversation-key.js';

describe('claim value codec', () => {
  it.each(['C-1A2B3C', 'C-000001'])('round-trips %s', (caseId) => {
    expect(decodeClaimValue(encodeClaimValue(caseId))).toBe(caseId);
  });

  it.each([
    ['a choice value', 'pp1:1.menu'],
    ['a value from another app', 'approve'],
    ['a lower-case id', 'ppclaim1:c-1a2b3c'],
    ['markup', 'ppclaim1:C-1<!here>'],
    ['an empty id', 'ppclaim1:'],
    ['not a string', 42],
  ])('rejects %s', (_name, value) => {
    expect(decodeClaimValue(value)).toBeUndefined();
  });

  it('refuses to encode something that is not a case id', () => {
    expect(() => encodeClaimValue('claim everything')).toThrow();
  });
});

describe('conversation keys', () => {
  it.each<[string, Place]>([
    ['a DM', { channel: 'D0ABC', direct: true }],
    ['a thread', { channel: 'C0SUPPORT', direct: false, threadTs: '1790000001.000100' }],
    ['a thread in a private channel', { channel: 'G0PRIVATE', direct: false, threadTs: '1790000001.000100' }],
  ])('round-trips %s', (_name, place) => {
    expect(placeOfConversationKey(conversationKey('T0TEAM', place))).toEqual(place);
  });

  it.each([
    ['a key of another kind', 'slack:T0TEAM:staff:U0STAFF'],
    ['another channel', 'discord:123:456'],
    ['a web session', 'web:8b0c'],
    ['a bad thread ts', 'slack:T0TEAM:C0SUPPORT:tomorrow'],
    ['extra parts', 'slack:T0TEAM:C0SUPPORT:1.2:3'],
  ])('names no place for %s', (_name, key) => {
    expect(placeOfConversationKey(key)).toBeUndefined();
  });
});
