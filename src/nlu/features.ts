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

const CHAR_NGRAM_MIN = 4;
const CHAR_NGRAM_MAX = 5;
/** Char n-grams come from the first words only, so a long paste costs no more than a few kB. */
const MAX_CHAR_NGRAM_WORDS = 300;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MASK = FEATURE_DIM - 1;

function hashString(s: string, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

function mix(a: number, b: number): number {
  return Math.imul(a ^ Math.imul(b, 0x9e3779b1), FNV_PRIME) >>> 0;
}

// One reusable accumulator: featurisation is synchronous, so no two calls interleave.
const accumulator = new Float64Array(FEATURE_DIM);
let touched = new Int32Array(4096);
let touchedCount = 0;

function add(index: number, weight: number): void {
  if (accumulator[index] === 0) {
    if (touchedCount === touched.length) {
      const grown = new Int32Array(touched.length * 2);
      grown.set(touched);
      touched = grown;
    }
    touched[touchedCount++] = index;
  }
  accumulator[index]! += weight;
}

const BIAS_INDEX = hashString('__bias__', 0) & MASK;
const START_HASH = hashString('^', 2);
const END_HASH = hashString('$', 2);
const LT = '<'.charCodeAt(0);
const GT = '>'.charCodeAt(0);

/** Turns raw text into an L2-normalised sparse vector (sublinear term frequencies per feature). */
export function featurize(text: string, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  accumulateTokens(tokenize(normalizeText(text)), weights);
  return collect(false);
}

function accumulateTokens(tokens: readonly string[], weights: FeatureWeights): void {
  touchedCount = 0;
  // A bias-like feature so empty text still has a vector.
  add(BIAS_INDEX, 0.1);
  let previous = START_HASH;
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t]!;
    const wordHash = wordHashOf(word);
    add(wordHash & MASK, weights.word);
    add(mix(previous, wordHash) & MASK, weights.bigram);
    previous = wordHash;
    if (t < MAX_CHAR_NGRAM_WORDS && word.length > 2 && !word.startsWith('qq') && weights.char > 0) addCharNgrams(word, weights.char);
  }
  if (tokens.length > 0) add(mix(previous, END_HASH) & MASK, weights.bigram);
}

/** A word's feature hash (of its stem), remembered: customers reuse a small vocabulary. */
const wordHashCache = new Map<string, number>();

function wordHashOf(word: string): number {
  let hash = wordHashCache.get(word);
  if (hash === undefined) {
    hash = hashString(stem(word), 1);
    if (wordHashCache.size >= CHAR_NGRAM_CACHE_LIMIT) wordHashCache.clear();
    wordHashCache.set(word, hash);
  }
  return hash;
}

/**
 * Like `featurize`, but the vector lives in buffers reused by the next call: for scoring, where the
 * vector is used at once and thrown away (no allocation on the hot path).
 */
export function featurizeForScoring(text: string, weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  return featurizeTokensForScoring(tokenize(normalizeText(text)), weights);
}

/** `featurizeForScoring` for text already normalised and split into tokens. */
export function featurizeTokensForScoring(tokens: readonly string[], weights: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): SparseVector {
  accumulateTokens(tokens, weights);
  return collect(true);
}

let scratchIndices = new Int32Array(4096);
let scratchValues = new Float32Array(4096);

function collect(reuse: boolean): SparseVector {
  if (reuse && scratchIndices.length < touchedCount) {
    scratchIndices = new Int32Array(touchedCount * 2);
    scratchValues = new Float32Array(touchedCount * 2);
  }
  const indices = reuse ? scratchIndices.subarray(0, touchedCount) : new Int32Array(touchedCount);
  const values = reuse ? scratchValues.subarray(0, touchedCount) : new Float32Array(touchedCount);
  let norm = 0;
  for (let i = 0; i < touchedCount; i++) {
    const index = touched[i]!;
    const count = accumulator[index]!;
    accumulator[index] = 0;
    const value = Math.log1p(count);
    indices[i] = index;
    values[i] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < values.length; j++) values[j]! /= norm;
  return { indices, values };
}

/**
 * Character n-grams (4 and 5) of `<word>`, hashed incrementally without building substrings. A word's
 * n-gram indices are remembered (customers reuse a small vocabulary, and a notice's parts are read
 * again one by one), so a known word costs a lookup.
 */
const charNgramCache = new Map<string, Int32Array>();
const CHAR_NGRAM_CACHE_LIMIT = 50_000;

function addCharNgrams(word: string, weight: number): void {
  let indices = charNgramCache.get(word);
  if (!indices) {
    indices = charNgramIndices(word);
    if (charNgramCache.size >= CHAR_NGRAM_CACHE_LIMIT) charNgramCache.clear();
    charNgramCache.set(word, indices);
  }
  for (let i = 0; i < indices.length; i++) add(indices[i]!, weight);
}

function charNgramIndices(word: string): Int32Array {
  const padded = word.length + 2;
  const codeAt = (p: number) => (p === 0 ? LT : p === padded - 1 ? GT : word.charCodeAt(p - 1));
  const out: number[] = [];
  for (let i = 0; i + CHAR_NGRAM_MIN <= padded; i++) {
    let h = FNV_OFFSET ^ 3;
    for (let n = 1; n <= CHAR_NGRAM_MAX && i + n <= padded; n++) {
      h = Math.imul(h ^ codeAt(i + n - 1), FNV_PRIME);
      if (n >= CHAR_NGRAM_MIN) out.push((h >>> 0) & MASK);
    }
  }
  return Int32Array.from(out);
}

/**
 * The hashed features seen in training, numbered densely (rows). The models keep weights and postings
 * for these rows only: a few MB instead of one slot per hash, and a query's features that were never
 * seen in training (they carry no weight) are dropped once, up front.
 */
export class FeatureVocabulary {
  private readonly rowOf = new Int32Array(FEATURE_DIM).fill(-1);
  private rows = 0;
  private scratchIndices = new Int32Array(1024);
  private scratchValues = new Float32Array(1024);

  get size(): number {
    return this.rows;
  }

  /** A training vector over rows, adding rows for its new features. */
  learn(x: SparseVector): SparseVector {
    const indices = new Int32Array(x.indices.length);
    for (let j = 0; j < x.indices.length; j++) {
      const hash = x.indices[j]!;
      if (this.rowOf[hash] === -1) this.rowOf[hash] = this.rows++;
      indices[j] = this.rowOf[hash]!;
    }
    return { indices, values: x.values.slice() };
  }

  /** A query vector over known rows only, in buffers reused by the next call (values keep their scale). */
  project(x: SparseVector): SparseVector {
    if (this.scratchIndices.length < x.indices.length) {
      this.scratchIndices = new Int32Array(x.indices.length * 2);
      this.scratchValues = new Float32Array(x.indices.length * 2);
    }
    let n = 0;
    for (let j = 0; j < x.indices.length; j++) {
      const row = this.rowOf[x.indices[j]!]!;
      if (row === -1) continue;
      this.scratchIndices[n] = row;
      this.scratchValues[n++] = x.values[j]!;
    }
    return { indices: this.scratchIndices.subarray(0, n), values: this.scratchValues.subarray(0, n) };
  }
}
