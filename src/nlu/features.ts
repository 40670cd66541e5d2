/**
 * Hashed sparse features over normalised text: stemmed words, word bigrams and character n-grams
 * inside words (which carry typos and word forms). Hashing keeps memory flat and needs no vocabulary.
 */
import { normalizeText, stem, tokenize } from './normalize.js';

export const FEATURE_BITS = 17;
export const FEATURE_DIM = 1 << FEATURE_BITS;

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface FeatureWeights {
  word: number;
  bigram: number;
  char: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { word: 1, bigram: 0.7, char: 0.35 };

const CHAR_NGRAM_MIN = 3;
const CHAR_NGRAM_MAX = 5;
/** Char n-grams come from the first words only, so a long paste costs no more than a few kB. */
const MAX_CHAR_NGRAM_WORDS = 300;

function hash(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & (FEATURE_DIM - 1);
}

/** Turns raw text into an L2-normalised sparse vector (sublinear term frequencies per feature). */
export function featurize(text: string, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  return featurizeTokens(tokenize(normalizeText(text)), weights);
}

export function featurizeTokens(tokens: string[], weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  const counts = new Map<number, number>();
  const add = (index: number, w: number) => counts.set(index, (counts.get(index) ?? 0) + w);
  // A bias-like feature so empty text still has a vector.
  add(hash('__bias__', 0), 0.1);
  let previous = '^';
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t]!;
    const stemmed = stem(word);
    add(hash(stemmed, 1), weights.word);
    add(hash(`${previous} ${stemmed}`, 2), weights.bigram);
    previous = stemmed;
    if (t < MAX_CHAR_NGRAM_WORDS && word.length > 2 && !word.startsWith('qq')) {
      const padded = `<${word}>`;
      for (let n = CHAR_NGRAM_MIN; n <= CHAR_NGRAM_MAX; n++) {
        for (let i = 0; i + n <= padded.length; i++) add(hash(padded.slice(i, i + n), 3), weights.char);
      }
    }
  }
  if (tokens.length > 0) add(hash(`${previous} $`, 2), weights.bigram);

  const indices = new Int32Array(counts.size);
  const values = new Float32Array(counts.size);
  let norm = 0;
  let i = 0;
  for (const [index, count] of counts) {
    const value = Math.sign(count) * Math.log1p(Math.abs(count));
    indices[i] = index;
    values[i] = value;
    norm += value * value;
    i++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < values.length; j++) values[j]! /= norm;
  return { indices, values };
}
