/**
 * Entity extraction: phone numbers (libphonenumber-js, plus 7-digit local numbers, and ranges),
 * carriers (from knowledge/carriers.yaml, with aliases and one-typo tolerance) and dates (chrono-node).
 * The notice's other facts (order and ticket numbers, wrong fields) are read in notice-facts.ts.
 */
import * as chrono from 'chrono-node';
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Content } from '../content/load-content.js';

export interface PhoneEntity {
  /** E.164 when the area code is known ("+13125550147"), else the 7 local digits ("5550142"). */
  value: string;
  /** Human format: "(312) 555-0147" or "555-0142". */
  display: string;
  /** The last seven digits, for matching a local number against full ones. */
  local: string;
}

/** A date the text mentions: its day (ISO), the words that say it, and whether those words name a span rather than a day. */
export interface DateMention {
  iso: string;
  words: string;
  /** "last week", "a few days ago", "in January": the day is a guess, not what the customer said. */
  vague: boolean;
}

/**
 * A date answer said as a span ("I paid last week"): the day it stands for, for reckoning, and the
 * customer's words, for saying. Shown as their words, never as a precise day they did not give.
 */
export function approximateDay(isoDate: string, words: string): string {
  return `${isoDate}~${words}`;
}

/** Whether a date answer was said as a span ("last week") rather than a day. */
export function isApproximate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}~/.test(value);
}

export interface EntityExtractor {
  /** ISO dates (YYYY-MM-DD) written in the text, read relative to `referenceDate`. */
  dates(text: string, referenceDate?: Date): string[];
  /** The same dates with the words that say them, and whether each names a span rather than a day. */
  dateMentions(text: string, referenceDate?: Date): DateMention[];
  phoneNumbers(text: string): PhoneEntity[];
  /** Numbers outside North America, in international format. */
  foreignNumbers(text: string): string[];
  carriers(text: string): string[];
}

// Ten-digit North American numbers in the usual layouts (dots included, which libphonenumber's scan skips).
const NANP_NUMBER = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b/g;
const LOCAL_NUMBER = /(?<![\d(+-][\s.)-]?)\b(\d{3})[-. ](\d{4})\b(?![-.]?\d)/g;

export function createEntityExtractor(content: Pick<Content, 'carriers'>): EntityExtractor {
  const carrierAliases = new Map<string, string>();
  for (const carrier of content.carriers) {
    for (const name of [carrier.name, carrier.id.replace(/_/g, ' '), ...carrier.aliases]) carrierAliases.set(squash(name), carrier.id);
  }
  const fuzzyCarrierAliases = [...carrierAliases].filter(([alias]) => alias.length >= 5 && !alias.includes(' '));

  /** Numbers outside North America ("+44 20 7946 0958"), in international format: they cannot be ported to us. */
  function foreignNumbers(text: string): Array<{ display: string; at: number; end: number }> {
    if (!text.includes('+')) return [];
    return findPhoneNumbersInText(text)
      .filter((m) => m.number.countryCallingCode !== '1')
      .map((m) => ({ display: m.number.formatInternational(), at: m.startsAt, end: m.endsAt }));
  }

  function phoneNumbers(text: string): PhoneEntity[] {
    // Every number kept below has at least seven digits ("thanks", "what is a pilot?" have none).
    if (digitCount(text) < 7) return [];
    const found: Array<PhoneEntity & { at: number; end: number }> = [];
    // Digits of a foreign number are never read as a North American one ("+44 20 7946 0958" is not (207) 946-0958).
    const covered: Array<[number, number]> = foreignNumbers(text).map((f) => [f.at, f.end]);
    const addFull = (e164: string, national: string, at: number, end: number) => {
      covered.push([at, end]);
      if (found.some((p) => p.value === e164)) return;
      found.push({ value: e164, display: displayNational(national), local: national.slice(-7), at, end });
    };
    for (const match of text.matchAll(NANP_NUMBER)) {
      const at = match.index ?? 0;
      if (covered.some(([s, e]) => at >= s && at < e)) continue;
      const parsed = parsePhoneNumberFromString(match[0], 'US');
      if (parsed?.isPossible() && String(parsed.nationalNumber).length === 10) addFull(parsed.number, String(parsed.nationalNumber), at, at + match[0].length);
    }
    // Other formats (international prefixes, words around digits) come from libphonenumber's scan, which
    // is slow: it is skipped when fewer than seven digits stand outside the numbers already found.
    const uncovered = covered.length === 0 ? text : text.replace(/\p{Nd}/gu, (digit, at: number) => (covered.some(([s, e]) => at >= s && at < e) ? '' : digit));
    for (const match of digitCount(uncovered) >= 7 ? findPhoneNumbersInText(text, 'US') : []) {
      const national = String(match.number.nationalNumber);
      if (match.number.countryCallingCode !== '1') continue;
      if (national.length === 10 && !found.some((p) => p.value === match.number.number)) {
        addFull(match.number.number, national, match.startsAt, match.endsAt);
      }
    }
    for (const match of text.matchAll(LOCAL_NUMBER)) {
      const at = match.index ?? 0;
      if (covered.some(([s, e]) => at >= s && at < e)) continue;
      const local = `${match[1]}${match[2]}`;
      if (found.some((p) => p.local === local)) continue;
      found.push({ value: local, display: `${match[1]}-${match[2]}`, local, at, end: at + match[0].length });
    }
    found.sort((a, b) => a.at - b.at);
    return withRanges(text, found).map(({ at: _at, end: _end, ...phone }) => phone);
  }

  function carriers(text: string): string[] {
    // A sentence's full stop is not part of the name: "contact AT&T." names AT&T.
    const words = text
      .toLowerCase()
      .replace(/&/g, ' and ')
      .split(/[^a-z0-9.]+/)
      .map((w) => w.replace(/\.+$/, ''))
      .filter(Boolean);
    const found: string[] = [];
    const add = (id: string | undefined) => {
      if (id && !found.includes(id)) found.push(id);
    };
    for (let i = 0; i < words.length; i++) {
      // The words are squashed already (lower case, letters, digits and inner dots), so their phrases are keys as they stand.
      const one = words[i]!;
      const two = i + 1 < words.length ? `${one} ${words[i + 1]}` : undefined;
      const three = two !== undefined && i + 2 < words.length ? `${two} ${words[i + 2]}` : undefined;
      if (three !== undefined) add(carrierAliases.get(three));
      if (two !== undefined) add(carrierAliases.get(two));
      add(carrierAliases.get(one));
      const word = words[i]!.replace(/\.$/, '');
      if (word.length >= 5 && !carrierAliases.has(word)) {
        for (const [alias, id] of fuzzyCarrierAliases) if (withinOneEdit(word, alias)) add(id);
      }
    }
    return found;
  }

  function dateMentions(text: string, referenceDate: Date): DateMention[] {
    const seen = new Set<string>();
    const mentions: DateMention[] = [];
    for (const r of chrono.parse(text, referenceDate)) {
      const iso = r.start.date().toISOString().slice(0, 10);
      if (seen.has(iso)) continue;
      seen.add(iso);
      // chrono calls "last week" a certain day and "last Friday" an uncertain one: the words decide.
      const vague = SPAN_WORDS.test(r.text) || (!r.start.isCertain('day') && !r.start.isCertain('weekday') && !DAY_WORDS.test(r.text));
      mentions.push({ iso, words: r.text, vague });
    }
    return mentions;
  }

  return {
    phoneNumbers,
    dates: (text: string, referenceDate = new Date()) => dateMentions(text, referenceDate).map((m) => m.iso),
    dateMentions: (text: string, referenceDate = new Date()) => dateMentions(text, referenceDate),
    foreignNumbers: (text: string) => foreignNumbers(text).map((f) => f.display),
    carriers,
  };
}

/** Words that make a date a span, not a day: "last week", "a few days ago", "two months ago", "early January". */
const SPAN_WORDS = /\b(?:weeks?|months?|years?|few|several|couple|early|mid|late|semanas?|mes(?:es)?|años?)\b/i;
/** Words that name one day without a date: "today", "this morning", "yesterday". */
const DAY_WORDS = /\b(?:today|tonight|tomorrow|yesterday|morning|afternoon|evening|noon|hoy|ayer|mañana)\b/i;

/** "(312) 555-0114 to 0116", "919-555-0150 thru 919-555-0154": the end of a range that starts at a number. */
const RANGE_TAIL = /^\s*(?:thru|through|to|until|till|-|\u2013|\u2014)\s*((?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}|\d{3}[\s.-]\d{4}|\d{4})\b(?![-.]?\d)/i;
/** Longer runs are not expanded (a typo, or an order too large for chat). */
const MAX_RANGE = 100;

/**
 * Expands number ranges in place: every number of the range, in order. The end of a range may be
 * written in full or as its last four digits; it must share the start's exchange and come after it.
 */
function withRanges<T extends PhoneEntity & { at: number; end: number }>(text: string, found: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < found.length; i++) {
    const start = found[i]!;
    out.push(start);
    const tail = RANGE_TAIL.exec(text.slice(start.end));
    if (!tail) continue;
    const endDigits = tail[1]!.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
    const startDigits = start.value.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
    const width = endDigits.length;
    if (width !== 4 && width !== 7 && width !== 10) continue;
    if (width > startDigits.length || startDigits.slice(0, startDigits.length - width) + endDigits.slice(0, width - 4) !== startDigits.slice(0, -4)) continue;
    const first = Number(startDigits.slice(-4));
    const last = Number(endDigits.slice(-4));
    if (last <= first || last - first > MAX_RANGE) continue;
    const prefix = startDigits.slice(0, -4);
    for (let n = first + 1; n <= last; n++) {
      const digits = `${prefix}${String(n).padStart(4, '0')}`;
      const entity =
        digits.length === 10
          ? { value: `+1${digits}`, display: displayNational(digits), local: digits.slice(-7) }
          : { value: digits, display: `${digits.slice(0, 3)}-${digits.slice(3)}`, local: digits };
      out.push({ ...start, ...entity });
    }
    // The range's end was also found as a number of its own: it is already in the range.
    const rangeEnd = start.end + tail[0].length;
    while (i + 1 < found.length && found[i + 1]!.at < rangeEnd) i++;
  }
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.value) && seen.add(p.value));
}

/** Decimal digits of any script (libphonenumber reads full-width and other digits too). */
function digitCount(text: string): number {
  return text.match(/\p{Nd}/gu)?.length ?? 0;
}

/** A number in the full display form `displayNational` writes ("(312) 555-0147"), area code included. */
export function isFullNumber(display: string): boolean {
  return /^\(\d{3}\) \d{3}-\d{4}$/.test(display);
}

function displayNational(national: string): string {
  return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
}

function squash(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
