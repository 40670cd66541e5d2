/**
 * Domain normalisation before classification: rejection notices arrive as upper-case codes, provider
 * JSON, e-mails with phone numbers and order ids. Those details say little about the reason, so they
 * become placeholder tokens; codes like `BTN_ATN_MISMATCH` or `AddressMismatch` split into words.
 */

/** Only the first few kB of a paste are classified: the reason is stated early, and cost stays flat. */
export const MAX_CLASSIFIED_CHARS = 4000;

const URL = /\bhttps?:\/\/\S+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const PHONE = /(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{3}[.-]\d{4}\b/g;
const DATE =
  /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?\b|\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\b/gi;
const MONEY = /[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d+(?:\.\d+)? ?(?:usd|dollars?)\b/gi;
// Order, ticket and case ids: a prefix and a number, or a bare '#12345'.
const ORDER_ID = /\b(?:po|pon|ord|req|case|ticket|tkt|lsr|sr)[\s#:-]*\d[\w-]{2,}\b|#\s?\d{4,}\b/gi;
const LONG_NUMBER = /\b\d{5,}\b/g;
const DIGIT = /\d/;

/** Normalises text into lower-case words with placeholder tokens; safe on any input. */
export function normalizeText(input: string): string {
  let text = input.slice(0, MAX_CLASSIFIED_CHARS);
  // Each placeholder pattern needs a character most messages lack; checking for it first is cheaper
  // than another pass of the pattern.
  if (text.includes('://')) text = text.replace(URL, ' qqurl ');
  if (text.includes('@')) text = text.replace(EMAIL, ' qqemail ');
  if (DIGIT.test(text)) {
    text = text.replace(DATE, ' qqdate ').replace(PHONE, ' qqphone ').replace(MONEY, ' qqmoney ').replace(ORDER_ID, ' qqorderid ').replace(LONG_NUMBER, ' qqnum ');
  }
  // camelCase and codes: AddressMismatch -> Address Mismatch; BTN_ATN_MISMATCH -> BTN ATN MISMATCH.
  text = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_]+/g, ' ');
  text = text.toLowerCase().replace(/['’`]/g, '');
  // Keep '#' and '*' before PORT (carrier dial codes); everything else that is not a word character splits.
  text = text.replace(/[#*](?=port\b)/g, ' qqdialcode ').replace(/[^a-z0-9]+/g, ' ');
  return text.trim();
}

/** Splits normalised text into word tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}

const SUFFIXES: Array<[RegExp, string]> = [
  [/ies$/, 'y'],
  [/(ss)$/, '$1'],
  [/([^s])s$/, '$1'],
  [/ing$/, ''],
  [/ed$/, ''],
];

/** A deliberately light stemmer: plural and -ing/-ed endings only, for words of five letters or more. */
export function stem(word: string): string {
  if (word.length < 5 || word.startsWith('qq')) return word;
  for (const [pattern, replacement] of SUFFIXES) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

/** Text matched literally inside a pattern. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
