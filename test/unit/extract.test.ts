import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_ROOTS } from '../../src/compose.js';
import { loadContent } from '../../src/content/load-content.js';
import { DEFAULT_BRANDING } from '../../src/core/types.js';
import { createEntityExtractor, withinOneEdit } from '../../src/nlu/extract.js';

const extractor = createEntityExtractor(loadContent(DEFAULT_CONTENT_ROOTS, DEFAULT_BRANDING));
const today = new Date('2026-11-26T12:00:00Z');

describe('entity extraction', () => {
  it('finds phone numbers in many formats, including the fictional 555-01xx range and local 7-digit numbers', () => {
    const found = extractor.phoneNumbers('lines (312) 555-0147, 212.555.0188, +1 646 555 0123 and the pilot 555-0142');
    expect(found.map((p) => p.display)).toEqual(['(312) 555-0147', '(212) 555-0188', '(646) 555-0123', '555-0142']);
    expect(found[0]!.value).toBe('+13125550147');
    expect(found[3]!.local).toBe('5550142');
  });

  it('expands number ranges written with thru, through, to or a dash, with the end in full or as its last four digits', () => {
    const displays = (text: string) => extractor.phoneNumbers(text).map((p) => p.display);
    expect(displays('919-555-0150 thru 0154')).toEqual(['(919) 555-0150', '(919) 555-0151', '(919) 555-0152', '(919) 555-0153', '(919) 555-0154']);
    expect(displays('(312) 555-0114 to 0116 and 312-555-0199')).toEqual(['(312) 555-0114', '(312) 555-0115', '(312) 555-0116', '(312) 555-0199']);
    expect(displays('312-555-0150 through 312-555-0152')).toEqual(['(312) 555-0150', '(312) 555-0151', '(312) 555-0152']);
    expect(displays('312.555.0100-0102')).toEqual(['(312) 555-0100', '(312) 555-0101', '(312) 555-0102']);
    // Not a range: a different exchange, or an end before the start.
    expect(displays('312-555-0150 to 312-777-0152')).toEqual(['(312) 555-0150', '(312) 777-0152']);
    expect(displays('312-555-0150 to 0140')).toEqual(['(312) 555-0150']);
  });

  it('does not take order numbers or dates for phone numbers', () => {
    expect(extractor.phoneNumbers('order PO-48213 rejected on 2026-11-20')).toEqual([]);
  });

  it('recognises carriers by name, alias and one typo', () => {
    expect(extractor.carriers('Verison rejected it')).toEqual(['verizon']);
    expect(extractor.carriers('moving from t mobile and at&t')).toEqual(['tmobile', 'att']);
    expect(extractor.carriers('our xfinity and centurylink lines')).toEqual(['comcast', 'lumen']);
    expect(extractor.carriers('magic jack wants a code')).toEqual(['magicjack']);
    expect(extractor.carriers('the weather is nice')).toEqual([]);
  });

  it('reads dates relative to the day the message is read', () => {
    expect(extractor.dates('send a copy of the bill and the LOA by Dec 3', today)).toEqual(['2026-12-03']);
    expect(extractor.dates('the port date is 2027-01-15')).toEqual(['2027-01-15']);
  });

  it('tells a span ("last week", "a few days ago", "in January") from a day ("yesterday", "last Friday", "Dec 3")', () => {
    const vague = (text: string) => extractor.dateMentions(text, today).map((m) => m.vague);
    for (const span of ['I paid it last week', 'a few days ago', 'sometime next week', 'in January', 'two months ago']) expect(vague(span), span).toEqual([true]);
    for (const day of ['yesterday', 'last Friday', 'Dec 3', 'this morning', '3 days ago', '2026-12-03']) expect(vague(day), day).toEqual([false]);
    expect(extractor.dateMentions('I paid it last week', today)[0]).toMatchObject({ iso: '2026-11-19', words: 'last week' });
  });

  it('measures one edit correctly', () => {
    expect(withinOneEdit('verizon', 'verizno')).toBe(true);
    expect(withinOneEdit('verizon', 'verison')).toBe(true);
    expect(withinOneEdit('spectrum', 'spectrun')).toBe(true);
    expect(withinOneEdit('comcast', 'concest')).toBe(false);
  });
});
