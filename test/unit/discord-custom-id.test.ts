/** The one codec for Discord custom ids: who a component belongs to and which choice it makes. */
import { describe, expect, it } from 'vitest';
import { decodeClaimId, decodeComponentPress, encodeButtonId, encodeClaimId, encodeMenuId, isClaimId, MAX_CUSTOM_ID_CHARS } from '../../src/adapters/discord/custom-id.js';

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

  it("round-trips the Claim button of a case, and never reads it as a customer's choice", () => {
    const id = encodeClaimId('C-1A2B3C');
    expect(id).toBe('pp:claim:C-1A2B3C');
    expect(decodeClaimId(id)).toBe('C-1A2B3C');
    expect(isClaimId(id)).toBe(true);
    expect(decodeComponentPress(id)).toBeUndefined();
    expect(encodeClaimId(`C-${'Z'.repeat(16)}`).length).toBeLessThanOrEqual(MAX_CUSTOM_ID_CHARS);
  });

  it('refuses to make a Claim button for a malformed case id, and reads none from a foreign or forged custom id', () => {
    for (const bad of ['', '1A2B3C', 'c-1a2b3c', 'C-', 'C-1A2B3C:x', `C-${'Z'.repeat(17)}`]) expect(() => encodeClaimId(bad)).toThrow(RangeError);
    for (const id of ['pp:claim:', 'pp:claim:not a case', 'pp:claim:C-1A2B3C ', 'pp:c:900000000000001000:claim', 'other:claim:C-1A2B3C']) {
      expect(decodeClaimId(id)).toBeUndefined();
    }
    expect(isClaimId('pp:claim:not a case')).toBe(true);
    expect(isClaimId(encodeButtonId(CUSTOMER, 'claim'))).toBe(false);
  });
});
