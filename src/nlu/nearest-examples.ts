/**
 * Nearest training examples, the second half of the classifier: for each intent, how closely a message
 * resembles that intent's closest examples (mean TF-IDF cosine similarity of the `k` best). The linear
 * model generalises over words; this keeps the memory of whole phrasings, which matters for the odd,
 * story-like messages that one weight vector per intent averages away. Measured in docs/CLASSIFIER.md.
 *
 * An inverted index over the examples' hashed features (compressed rows, built once at start-up) makes a
 * query cost one pass over the postings of its own features, with no allocation. Features found in more
 * than `maxDocumentShare` of the examples (common character n-grams, "the", "my") say almost nothing
 * (their IDF is near zero) and would dominate that cost, so they are left out of the index.
 */
import type { SparseVector } from './features.js';

export interface NearestExamplesOptions {
  k: number;
  maxDocumentShare: number;
  /**
   * A message sharing fewer indexed features than this with the examples (a bare phone number, "yes")
   * is too short to be recognised by its phrasing: one lucky example would decide it. It is left to
   * the linear model.
   */
  minFeatures: number;
}

export interface NearestExamples {
  /** Adds `weight` x (mean similarity of the k closest examples of each class) to `out`, per class. */
  addSimilarities(x: SparseVector, weight: number, out: Float64Array): Float64Array;
}

/** `examples` and queries are over compact feature rows `0 .. featureCount - 1` (see `FeatureVocabulary`). */
export function indexExamples(
  examples: ReadonlyArray<{ x: SparseVector; label: number }>,
  classCount: number,
  featureCount: number,
  options: NearestExamplesOptions,
): NearestExamples {
  const { k } = options;
  const n = examples.length;
  const documentFrequency = new Int32Array(featureCount);
  for (const { x } of examples) for (let j = 0; j < x.indices.length; j++) documentFrequency[x.indices[j]!]!++;
  const maxFrequency = Math.max(1, Math.floor(options.maxDocumentShare * n));
  // IDF of indexed features; 0 marks a feature that is not indexed (unseen or too common).
  const idf = new Float32Array(featureCount);
  for (let f = 0; f < featureCount; f++) {
    const df = documentFrequency[f]!;
    if (df > 0 && df <= maxFrequency) idf[f] = Math.log((n + 1) / df);
  }

  const offsets = new Int32Array(featureCount + 1); // postings of feature f are [offsets[f], offsets[f + 1])
  for (let f = 0; f < featureCount; f++) offsets[f + 1] = offsets[f]! + (idf[f]! > 0 ? documentFrequency[f]! : 0);
  const postingExample = new Int32Array(offsets[featureCount]!);
  const postingValue = new Float32Array(offsets[featureCount]!);
  const cursor = offsets.slice(0, featureCount);
  examples.forEach(({ x }, e) => {
    let norm = 0;
    for (let j = 0; j < x.indices.length; j++) norm += (x.values[j]! * idf[x.indices[j]!]!) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j]!;
      if (idf[f] === 0) continue;
      const at = cursor[f]!++;
      postingExample[at] = e;
      postingValue[at] = (x.values[j]! * idf[f]!) / norm;
    }
  });
  const labels = Int32Array.from(examples, (e) => e.label);
  const similarity = new Float32Array(n);
  // Examples sharing a feature with the query, so only those are ranked and reset.
  const touched = new Int32Array(n);
  const best = new Float64Array(classCount * k);

  return {
    addSimilarities(x: SparseVector, weight: number, out: Float64Array): Float64Array {
      let touchedCount = 0;
      let shared = 0;
      let norm = 0;
      for (let j = 0; j < x.indices.length; j++) {
        const f = x.indices[j]!;
        const w = idf[f]!;
        if (w === 0) continue;
        const v = x.values[j]! * w;
        norm += v * v;
        shared++;
        for (let p = offsets[f]!, end = offsets[f + 1]!; p < end; p++) {
          const e = postingExample[p]!;
          if (similarity[e] === 0) touched[touchedCount++] = e;
          similarity[e]! += v * postingValue[p]!;
        }
      }
      const scale = shared < Math.max(1, options.minFeatures) ? 0 : weight / (k * Math.sqrt(norm));
      // The k best per class, kept sorted (k is small).
      best.fill(0);
      for (let t = 0; t < touchedCount; t++) {
        const e = touched[t]!;
        const s = similarity[e]!;
        similarity[e] = 0;
        const base = labels[e]! * k;
        if (s <= best[base + k - 1]!) continue;
        let i = k - 1;
        while (i > 0 && best[base + i - 1]! < s) {
          best[base + i] = best[base + i - 1]!;
          i--;
        }
        best[base + i] = s;
      }
      if (scale === 0) return out;
      for (let c = 0; c < classCount; c++) {
        let sum = 0;
        for (let i = 0; i < k; i++) sum += best[c * k + i]!;
        out[c]! += scale * sum;
      }
      return out;
    },
  };
}
