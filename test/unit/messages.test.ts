/** The bot's wording: one table per language with the same keys, the same `{fields}`, and labels that typed answers can match. */
import { describe, expect, it } from 'vitest';
import { EN } from '../../src/dialogue/messages/en.js';
import { ES } from '../../src/dialogue/messages/es.js';
import { format, say } from '../../src/dialogue/messages/index.js';
import { matchNaturalAnswer } from '../../src/dialogue/natural-answers.js';

const fieldsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message tables', () => {
  it('says the default business hours and branding in Spanish to a Spanish-speaking customer, and configured ones as configured', () => {
    expect(say('escalated', { id: 'C-1', hours: 'Monday to Friday, 9:00 to 17:00' }, 'es')).toContain('(de lunes a viernes, de 9:00 a 17:00)');
    expect(say('escalated', { id: 'C-1', hours: 'lunes a sábado, 8 a 20 h' }, 'es')).toContain('(lunes a sábado, 8 a 20 h)');
    expect(say('escalated', { id: 'C-1', hours: 'Monday to Friday, 9:00 to 17:00' }, 'en')).toContain('Monday to Friday');
  });

  it('has the same keys and the same fields in every language', () => {
    expect(Object.keys(ES).sort()).toEqual(Object.keys(EN).sort());
    for (const key of Object.keys(EN) as Array<keyof typeof EN>) expect(fieldsOf(ES[key]), key).toEqual(fieldsOf(EN[key]));
  });

  it('fills fields with one format(), leaving an unknown field visible', () => {
    expect(format('Case {id} for {who}', { id: 'C-1' })).toBe('Case C-1 for {who}');
    expect(say('escalated', { id: 'C-1', hours: '9-5' }, 'es')).toContain('C-1');
  });

  it('keeps Spanish button labels matchable by what a customer types', () => {
    const choices = [
      { id: '2.confirm', label: ES.yesRightLabel },
      { id: '2.other', label: ES.notRightLabel },
    ];
    expect(matchNaturalAnswer(choices, 'sí')?.id).toBe('2.confirm');
    expect(matchNaturalAnswer(choices, 'no')?.id).toBe('2.other');
    expect(matchNaturalAnswer(choices, 'ambas')?.id).toBe('2.confirm');
    expect(
      matchNaturalAnswer(
        [
          { id: '3.unknown', label: ES.unknownReasonLabel },
          { id: '3.more', label: ES.moreReasonsLabel },
        ],
        'no sé',
      )?.id,
    ).toBe('3.unknown');
  });
});
