/** The one codec for Discord custom ids: who a component belongs to and which choice it makes. */
import { describe, expect, it } from 'vitest';
import { decodeComponentPress, encodeButtonId, encodeMenuId, MAX_CUSTOM_ID_CHARS } from '../../src/adapters/discord/custom-id.js';

const CUSTOMER = '900000000000001000';

describe('Discord custom ids', () => {
  it('round-trips a button press, keeping the choice id opaque', () => {
    for (const choice of ['3.topic.freeze', 'a:b:c', 'with spaces and ünïcode', 'x'.repeat(64)]) {
      const id = encodeButtonId(CUSTOMER, choice);
      expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID_CHARS);
      expect(decodeComponentPress(id)).toEqual({ customer: CUSTOMER, choice });
    }
  });

  it('reads a select menu press from its picked value', () => {
    expect(decodeComponentPress(encodeMenuId(CUSTOMER), ['2.section.why'])).toEqual({ customer: CUSTOMER, choice: '2.section.why' });
    expect(decodeComponentPress(encodeMenuId(CUSTOMER), [])).toBeUndefined();
  });

  it('keeps the longest customer id and choice id within 100 characters', () => {
    expect(encodeButtonId('1'.repeat(20), 'c'.repeat(64)).length).toBeLessThanOrEqual(MAX_CUSTOM_ID_CHARS);
  });

  it('refuses what it cannot carry instead of emitting an id Discord rejects', () => {
    expect(() => encodeButtonId(CUSTOMER, 'c'.repeat(65))).toThrow(RangeError);
    expect(() => encodeButtonId(CUSTOMER, '')).toThrow(RangeError);
    expect(() => encodeButtonId('not-a-user', 'x')).toThrow(RangeError);
  });

  it('does not recognise custom ids it did not make', () => {
    for (const id of ['', 'pp:c:', 'pp:c:abc:1.menu', 'other-bot:button', `pp:x:${CUSTOMER}:1.menu`]) {
      expect(decodeComponentPress(id, ['1.menu'])).toBeUndefined();
    }
  });
});
