/**
 * Turns ranked intents into a decision the dialogue can act on: a rejection reason (or several, from
 * one notice), a conversation intent, an ambiguity between two reasons, out of scope, or "unsure".
 * Thresholds were chosen on held-out data; see docs/CLASSIFIER.md for how and the figures.
 */
import { isRejectionId, OUT_OF_SCOPE, REJECTION_UNSPECIFIED } from '../content/ids.js';
import type { IntentClassifier, RankedIntent } from './classifier.js';
import { MAX_CLASSIFIED_CHARS, normalizeText, tokenize } from './normalize.js';

export interface UnderstandingThresholds {
  /** Below this top confidence the bot asks the customer to rephrase. */
  minConfidence: number;
  /** When the two best rejection reasons are closer than this, the customer picks. */
  ambiguityMargin: number;
  /** A segment of a multi-part notice counts as an extra reason at or above this confidence. */
  segmentConfidence: number;
  /** Above this top confidence a message is taken to state one reason, and its parts are not classified. */
  singleReasonConfidence: number;
  /** In a long message that does not read as a rejection overall, one part recognised this surely counts. */
  longMessagePartConfidence: number;
}

/** A numbered or bulleted list: a notice that may list several reasons even when one reads as certain. */
function looksLikeList(text: string): boolean {
  return (text.match(/(?:^|\s)(?:\d{1,2}[.)]|[-*•])\s+\S/g)?.length ?? 0) >= 2;
}

/** Messages longer than this get a second look, part by part, when the whole does not read as a rejection. */
const LONG_MESSAGE_CHARS = 500;
/** At most this many parts of a message are classified one by one. */
const MAX_SEGMENTS = 12;

export const DEFAULT_THRESHOLDS: UnderstandingThresholds = {
  minConfidence: 0.2,
  ambiguityMargin: 0.15,
  segmentConfidence: 0.8,
  singleReasonConfidence: 0.99,
  longMessagePartConfidence: 0.95,
};

export type Understanding =
  | { kind: 'rejection'; intent: string; confidence: number; reasons: string[] }
  | { kind: 'ambiguous'; intent: string; confidence: number; options: [RankedIntent, RankedIntent] }
  | { kind: 'conversation'; intent: string; confidence: number }
  | { kind: 'out_of_scope'; intent: string; confidence: number }
  | { kind: 'unsure'; intent: string | null; confidence: number };

export interface Understander {
  understand(text: string): Understanding;
}

/**
 * Splits a notice into the parts that may each state a reason (lines, sentences, list items), as
 * normalised tokens; parts of fewer than two words are dropped.
 */
export function segmentsOf(text: string): string[][] {
  const parts: string[][] = [];
  for (const part of text
    .slice(0, MAX_CLASSIFIED_CHARS)
    .split(/\n+|(?<=[.;!?])\s+|;|\s+(?:\d+[.)]|[-*•])\s+|"\s*,\s*"|\b(?:and|but)\s+(?=also\b|they\b|it\b|the carrier\b|there\b)|\bplus\b|\balso\b/i)) {
    const tokens = tokenize(normalizeText(part));
    if (tokens.length >= 2) parts.push(tokens);
  }
  return parts;
}

/** Longer messages always carry words; the check is for short answers such as "(312) 555-0150". */
const PLACEHOLDERS_ONLY_MAX_CHARS = 120;

/** The reasons recognised in a message's parts, the first stated leading. */
function rejectionOfParts(parts: RankedIntent[]): Understanding {
  return { kind: 'rejection', intent: parts[0]!.intent, confidence: parts[0]!.confidence, reasons: parts.map((p) => p.intent) };
}

function isPlaceholdersOnly(text: string): boolean {
  const tokens = tokenize(normalizeText(text));
  return tokens.length > 0 && tokens.every((token) => token.startsWith('qq'));
}

export function createUnderstander(classifier: IntentClassifier, thresholds: UnderstandingThresholds = DEFAULT_THRESHOLDS): Understander {
  return {
    understand(text: string): Understanding {
      const [top, second] = classifier.topTwo(text);
      // Only placeholders (a bare phone number, a date, an order id): nothing says what went wrong.
      if (text.length <= PLACEHOLDERS_ONLY_MAX_CHARS && isPlaceholdersOnly(text)) return { kind: 'unsure', intent: null, confidence: top.confidence };
      if (!isRejectionId(top.intent) && text.length > LONG_MESSAGE_CHARS) {
        // A long paste (an e-mail thread, a notice wrapped in boilerplate) may state its reason in
        // one part while the whole reads as noise: a confidently recognised part wins.
        const parts = confidentReasons(text, thresholds.longMessagePartConfidence);
        if (parts.length > 0) return rejectionOfParts(parts);
      }
      if (top.intent === REJECTION_UNSPECIFIED) {
        // "Port rejected" plus a reason in another clause ("googl voice wont let it go. port rejectd"):
        // the clause that names the reason wins over the generic complaint.
        const parts = confidentReasons(text, thresholds.segmentConfidence);
        if (parts.length > 0) return rejectionOfParts(parts);
      }
      if (top.confidence < thresholds.minConfidence) {
        return { kind: 'unsure', intent: top.intent, confidence: top.confidence };
      }
      if (top.intent === OUT_OF_SCOPE) return { kind: 'out_of_scope', intent: OUT_OF_SCOPE, confidence: top.confidence };
      if (!isRejectionId(top.intent)) return { kind: 'conversation', intent: top.intent, confidence: top.confidence };

      // A notice naming several reasons spreads probability over them; only then is it worth
      // classifying its parts one by one.
      const reasons = top.confidence < thresholds.singleReasonConfidence || looksLikeList(text) ? reasonsInOrder(text, top.intent) : [top.intent];
      if (reasons.length === 1 && isRejectionId(second.intent) && top.confidence - second.confidence < thresholds.ambiguityMargin) {
        return { kind: 'ambiguous', intent: top.intent, confidence: top.confidence, options: [top, second] };
      }
      return { kind: 'rejection', intent: top.intent, confidence: top.confidence, reasons };
    },
  };

  /** Every reason a multi-part notice states, in the order it states them; always includes `top`. */
  function reasonsInOrder(text: string, top: string): string[] {
    const found = confidentReasons(text, thresholds.segmentConfidence).map((r) => r.intent);
    if (!found.includes(top)) found.unshift(top);
    return found;
  }

  /** Rejection reasons recognised at or above `minimum` in the parts of a message, first mention first. */
  function confidentReasons(text: string, minimum: number): RankedIntent[] {
    const segments = segmentsOf(text);
    if (segments.length < 2) return [];
    const found: RankedIntent[] = [];
    for (const segment of segments.slice(0, MAX_SEGMENTS)) {
      const best = classifier.bestOfParts(segment);
      if (isRejectionId(best.intent) && best.confidence >= minimum && !found.some((f) => f.intent === best.intent)) found.push(best);
    }
    return found;
  }
}
