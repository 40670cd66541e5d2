/**
 * Entity extraction: phone numbers (libphonenumber-js, plus 7-digit local numbers), carriers (from
 * knowledge/carriers.yaml, with aliases and one-typo tolerance), order numbers, dates (chrono-node),
 * document types (knowledge/documents.yaml) and PIN-like secrets (kinds only, so they can be
 * redacted; values are never returned or stored).
 */
import * as chrono from 'chrono-node';
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Content } from '../content/load-content.js';
import { findSecrets, type SecretFinding } from '../core/redact.js';

export interface PhoneEntity {
  /** E.164 when the area code is known ("+13125550147"), else the 7 local digits ("5550142"). */
  value: string;
  /** Human format: "(312) 555-0147" or "555-0142". */
  display: string;
  /** The last seven digits, for matching a local number against full ones. */
  local: string;
}

export interface Entities {
  phoneNumbers: PhoneEntity[];
  carriers: string[];
  orderNumbers: string[];
  /** ISO dates (YYYY-MM-DD). */
  dates: string[];
  documents: string[];
  secrets: SecretFinding[];
}

export interface EntityExtractor {
  extract(text: string, referenceDate?: Date): Entities;
  phoneNumbers(text: string): PhoneEntity[];
  carriers(text: string): string[];
}

const ORDER_NUMBER = /\b(?:PO|PON|order|ord|ticket|case|request|req)\s*(?:number|no\.?|num|#|id)?\s*[:#-]?\s*([A-Z0-9][A-Z0-9-]{3,19})\b/gi;
const HASH_NUMBER = /(?:^|\s)#\s?(\d{4,12})\b/g;
// Ten-digit North American numbers in the usual layouts (dots included, which libphonenumber's scan skips).
const NANP_NUMBER = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b/g;
const LOCAL_NUMBER = /(?<![\d(+-][\s.)-]?)\b(\d{3})[-. ](\d{4})\b(?![-.]?\d)/g;

export function createEntityExtractor(content: Pick<Content, 'carriers' | 'documents'>): EntityExtractor {
  const carrierAliases = new Map<string, string>();
  for (const carrier of content.carriers) {
    for (const name of [carrier.name, carrier.id.replace(/_/g, ' '), ...carrier.aliases]) carrierAliases.set(squash(name), carrier.id);
  }
  const documentAliases = new Map<string, string>();
  for (const doc of content.documents.values()) {
    for (const name of [doc.name, ...doc.aliases]) documentAliases.set(squash(name), doc.id);
  }
  const fuzzyCarrierAliases = [...carrierAliases].filter(([alias]) => alias.length >= 5 && !alias.includes(' '));

  function phoneNumbers(text: string): PhoneEntity[] {
    const found: Array<PhoneEntity & { at: number }> = [];
    const covered: Array<[number, number]> = [];
    const addFull = (e164: string, national: string, at: number, end: number) => {
      covered.push([at, end]);
      if (found.some((p) => p.value === e164)) return;
      found.push({ value: e164, display: `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, local: national.slice(-7), at });
    };
    for (const match of text.matchAll(NANP_NUMBER)) {
      const at = match.index ?? 0;
      const parsed = parsePhoneNumberFromString(match[0], 'US');
      if (parsed?.isPossible() && String(parsed.nationalNumber).length === 10) addFull(parsed.number, String(parsed.nationalNumber), at, at + match[0].length);
    }
    // Other formats (international prefixes, words around digits) come from libphonenumber's scan.
    for (const match of findPhoneNumbersInText(text, 'US')) {
      const national = String(match.number.nationalNumber);
      if (national.length === 10 && !found.some((p) => p.value === match.number.number)) {
        addFull(match.number.number, national, match.startsAt, match.endsAt);
      }
    }
    for (const match of text.matchAll(LOCAL_NUMBER)) {
      const at = match.index ?? 0;
      if (covered.some(([s, e]) => at >= s && at < e)) continue;
      const local = `${match[1]}${match[2]}`;
      if (found.some((p) => p.local === local)) continue;
      found.push({ value: local, display: `${match[1]}-${match[2]}`, local, at });
    }
    return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...phone }) => phone);
  }

  function carriers(text: string): string[] {
    const words = text.toLowerCase().replace(/&/g, ' and ').split(/[^a-z0-9.]+/).filter(Boolean);
    const found: string[] = [];
    const add = (id: string | undefined) => {
      if (id && !found.includes(id)) found.push(id);
    };
    for (let i = 0; i < words.length; i++) {
      for (let n = 3; n >= 1; n--) {
        if (i + n > words.length) continue;
        const phrase = words.slice(i, i + n);
        add(carrierAliases.get(squash(phrase.join(' '))));
      }
      const word = words[i]!.replace(/\.$/, '');
      if (word.length >= 5 && !carrierAliases.has(word)) {
        for (const [alias, id] of fuzzyCarrierAliases) if (withinOneEdit(word, alias)) add(id);
      }
    }
    return found;
  }

  return {
    phoneNumbers,
    carriers,
    extract(text: string, referenceDate = new Date()): Entities {
      const orderNumbers = new Set<string>();
      for (const m of text.matchAll(ORDER_NUMBER)) if (/\d/.test(m[1]!)) orderNumbers.add(m[1]!.toUpperCase());
      for (const m of text.matchAll(HASH_NUMBER)) orderNumbers.add(m[1]!);
      const dates = [...new Set(chrono.parse(text, referenceDate).map((r) => r.start.date().toISOString().slice(0, 10)))];
      const documents: string[] = [];
      const squashed = ` ${squash(text)} `;
      for (const [alias, id] of documentAliases) {
        if (squashed.includes(` ${alias} `) && !documents.includes(id)) documents.push(id);
      }
      return { phoneNumbers: phoneNumbers(text), carriers: carriers(text), orderNumbers: [...orderNumbers], dates, documents, secrets: findSecrets(text) };
    },
  };
}

function squash(s: string): string {
  return s.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9.]+/g, ' ').trim();
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
