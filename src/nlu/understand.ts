/**
 * Turns ranked intents into a decision the dialogue can act on: a rejection reason (or several, from
 * one notice), a conversation intent, an ambiguity between two reasons, out of scope, or "unsure".
 * Thresholds were chosen on held-out data; see docs/CLASSIFIER.md for how and the figures.
 */
import { isRejectionId, OUT_OF_SCOPE } from '../content/ids.js';
import type { IntentClassifier, RankedIntent } from './classifier.js';
import { MAX_CLASSIFIED_CHARS, normalizeText, tokenize } from './normalize.js';

export interface UnderstandingThresholds {
  /** Below this top confidence the bot asks the customer to rephrase. */
  minConfidence: number;
  /** When the two best rejection reasons are closer than this, the customer picks. */
  ambiguityMargin: number;
  /** A segment of a multi-part notice counts as an extra reason at or above this confidence. */
  segmentConfidence: number;
  /** Parts of a notice are classified only when the runner-up reason has at least this confidence. */
  multiReasonHint: number;
}

export const DEFAULT_THRESHOLDS: UnderstandingThresholds = {
  minConfidence: 0.2,
  ambiguityMargin: 0.15,
  segmentConfidence: 0.8,
  multiReasonHint: 0.05,
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

/** Splits a notice into the parts that may each state a reason: lines, sentences, list items. */
export function segmentsOf(text: string): string[] {
  return text
    .slice(0, MAX_CLASSIFIED_CHARS)
    .split(/\n+|(?<=[.;!?])\s+|;|\s+(?:\d+[.)]|[-*•])\s+|"\s*,\s*"|\b(?:and|but)\s+(?=also\b|they\b|it\b|the carrier\b|there\b)|\bplus\b|\balso\b/i)
    .map((s) => s.trim())
    .filter((s) => tokenize(normalizeText(s)).length >= 2);
}

export function createUnderstander(
  classifier: IntentClassifier,
  thresholds: UnderstandingThresholds = DEFAULT_THRESHOLDS,
): Understander {
  return {
    understand(text: string): Understanding {
      const ranked = classifier.rank(text);
      const top = ranked[0]!;
      if (top.confidence < thresholds.minConfidence) {
        return { kind: 'unsure', intent: top.intent, confidence: top.confidence };
      }
      if (top.intent === OUT_OF_SCOPE) return { kind: 'out_of_scope', intent: OUT_OF_SCOPE, confidence: top.confidence };
      if (!isRejectionId(top.intent)) return { kind: 'conversation', intent: top.intent, confidence: top.confidence };

      const second = ranked[1]!;
      // A notice naming several reasons spreads probability over them; only then is it worth
      // classifying its parts one by one.
      const runnerUp = ranked.find((r, i) => i > 0 && isRejectionId(r.intent));
      const reasons = runnerUp && runnerUp.confidence >= thresholds.multiReasonHint ? reasonsInOrder(text, top.intent) : [top.intent];
      if (
        reasons.length === 1 &&
        isRejectionId(second.intent) &&
        top.confidence - second.confidence < thresholds.ambiguityMargin
      ) {
        return { kind: 'ambiguous', intent: top.intent, confidence: top.confidence, options: [top, second] };
      }
      return { kind: 'rejection', intent: top.intent, confidence: top.confidence, reasons };
    },
  };

  /** Every reason a multi-part notice states, in the order it states them; always includes `top`. */
  function reasonsInOrder(text: string, top: string): string[] {
    const segments = segmentsOf(text);
    if (segments.length < 2) return [top];
    const found: string[] = [];
    for (const segment of segments.slice(0, 12)) {
      const best = classifier.rank(segment)[0]!;
      if (isRejectionId(best.intent) && best.confidence >= thresholds.segmentConfidence && !found.includes(best.intent)) {
        found.push(best.intent);
      }
    }
    if (!found.includes(top)) found.unshift(top);
    return found;
  }
}
