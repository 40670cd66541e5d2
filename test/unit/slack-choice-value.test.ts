/** The one codec between our choice ids and Slack button values. */
import { describe, expect, it } from 'vitest';
import { decodeChoiceValue, encodeChoiceValue, MAX_CHOICE_ID_CHARS } from '../../src/adapters/slack/choice-value.js';

describe('choice value codec', () => {
  it.each(['1.menu', '12.reason.google_voice_unlock', 'opaque id with spaces', 'x'.repeat(MAX_CHOICE_ID_CHARS)])('round-trips %s', (id) => {
    expect(decodeChoiceValue(encodeChoiceValue(id))).toBe(id);
  });

  it.each([
    ['a value from another app', 'approve'],
    ['an empty id', 'pp1:'],
    ['an id over the limit', `pp1:${'x'.repeat(MAX_CHOICE_ID_CHARS + 1)}`],
    ['control characters', 'pp1:1.menu\u0000'],
    ['not a string', 42],
    ['nothing', undefined],
  ])('rejects %s', (_name, value) => {
    expect(decodeChoiceValue(value)).toBeUndefined();
  });

  it('refuses to encode an id Slack could not carry back', () => {
    expect(() => encodeChoiceValue('')).toThrow();
    expect(() => encodeChoiceValue('x'.repeat(MAX_CHOICE_ID_CHARS + 1))).toThrow();
  });
});
