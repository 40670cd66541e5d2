/** Phone-number answers: numbers outside North America are refused with the reason, and a number without its area code is asked for again, never guessed. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_ROOTS } from '../../src/compose.js';
import type { QuestionStep } from '../../src/content/flow-schema.js';
import { loadContent } from '../../src/content/load-content.js';
import { DEFAULT_BRANDING } from '../../src/core/types.js';
import { parseSlot } from '../../src/dialogue/slots.js';
import { createEntityExtractor } from '../../src/nlu/extract.js';

const content = loadContent(DEFAULT_CONTENT_ROOTS, DEFAULT_BRANDING);
const extractor = createEntityExtractor(content);
const question = (type: 'phone' | 'phone_list'): QuestionStep => ({ kind: 'question', ask: 'Which?', slot: 'x', type, record: [], next: [] });
const parse = (type: 'phone' | 'phone_list', text: string, slots = {}) =>
  parseSlot(question(type), text, { extractor, carriers: content.carriers, slots, referenceDate: new Date('2026-12-01T12:00:00Z') });

describe('phone-number answers', () => {
  it('refuses a number outside North America, saying why, instead of misreading its digits', () => {
    expect(extractor.phoneNumbers('+44 20 7946 0958')).toEqual([]);
    expect(extractor.foreignNumbers('call +44 20 7946 0958 please')).toEqual(['+44 20 7946 0958']);
    const result = parse('phone_list', '+44 20 7946 0958');
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^\+44 20 7946 0958 is a number outside the US and Canada/) });
  });

  it('asks for the area code of a number typed without one', () => {
    expect(parse('phone_list', '555-0142, (312) 555-0143')).toEqual({ ok: false, reason: expect.stringMatching(/^555-0142 has no area code/) });
    expect(parse('phone', '555-0142')).toEqual({ ok: false, reason: expect.stringMatching(/no area code/) });
  });

  it('takes the last four digits of exactly one number given earlier in full, and nothing else', () => {
    const porting = ['(212) 555-0180', '(212) 555-0181'];
    expect(parse('phone', '0180 is the main one', { porting })).toEqual({ ok: true, value: '(212) 555-0180' });
    expect(parse('phone', 'either 0180 or 0181', { porting })).toMatchObject({ ok: false });
    expect(parse('phone', '0199', { porting })).toMatchObject({ ok: false });
  });

  it('takes a local number that matches one given earlier in full', () => {
    expect(parse('phone', '555-0142', { porting: ['(312) 555-0142'] })).toEqual({ ok: true, value: '(312) 555-0142' });
  });

  it('keeps numbers in full, ranges expanded', () => {
    expect(parse('phone_list', '312-555-0150 thru 0152')).toEqual({ ok: true, value: ['(312) 555-0150', '(312) 555-0151', '(312) 555-0152'] });
  });
});
