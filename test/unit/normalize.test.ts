/**
 * Domain normalisation: what the classifier sees of a pasted notice. Details that say nothing about the
 * reason become placeholders; codes split into words; text without digits, '@' or '://' is left as words.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CLASSIFIED_CHARS, normalizeText, stem } from '../../src/nlu/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['see https://portal.example.com/orders/123 for details', 'see qqurl for details'],
    ['mail ops@example.com please', 'mail qqemail please'],
    ['due 2026-12-01 or 12/03', 'due qqdate or qqdate'],
    ['TN (312) 555-0147 and 312.555.0148 and 555-0150', 'tn qqphone and qqphone and qqphone'],
    ['balance of $127.05 owed', 'balance of qqmoney owed'],
    ['order PO-48213 and #77812', 'order qqorderid and qqorderid'],
    ['account 8812345 rejected', 'account qqnum rejected'],
  ])('turns the details of %j into placeholders', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('splits codes and camel case into words and drops JSON punctuation', () => {
    expect(normalizeText('{"reason":"BTN_ATN_MISMATCH","detail":"AddressMismatch"}')).toBe('reason btn atn mismatch detail address mismatch');
  });

  it('keeps plain words as they are, apostrophes folded', () => {
    expect(normalizeText("The carrier says there's a FREEZE on my account!")).toBe('the carrier says theres a freeze on my account');
  });

  it('keeps a dial code before PORT as a token', () => {
    expect(normalizeText('text #PORT to 7678')).toBe('text qqdialcode port to 7678');
  });

  it('reads only the first few kB of a paste', () => {
    const words = normalizeText('word '.repeat(5000)).split(' ');
    expect(words.length).toBe(Math.ceil(MAX_CLASSIFIED_CHARS / 5));
  });

  it('stems plurals and -ing/-ed endings of longer words only', () => {
    expect([stem('accounts'), stem('porting'), stem('rejected'), stem('pins'), stem('address')]).toEqual(['account', 'port', 'reject', 'pins', 'address']);
  });
});
