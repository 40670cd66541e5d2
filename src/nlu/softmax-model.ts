/**
 * Multinomial logistic regression over sparse features, trained by SGD at start-up.
 * Small, dependency-free and fast: scoring a message is one pass over its non-zero features.
 * Features are compact row numbers (see `FeatureVocabulary`): only features seen in training have weights.
 */
import type { SparseVector } from './features.js';

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** Seed for the shuffle, so training is reproducible. */
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 12, learningRate: 3, l2: 1e-4, seed: 7 };

export interface TrainingExample {
  x: SparseVector;
  label: number;
  weight: number;
}

export class SoftmaxModel {
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;

  constructor(
    readonly classCount: number,
    featureCount: number,
  ) {
    this.weights = new Float32Array(featureCount * classCount);
    this.bias = new Float32Array(classCount);
  }

  /** The trained weights and biases, for a cache of trained models. */
  parameters(): { weights: Float32Array; bias: Float32Array } {
    return { weights: this.weights, bias: this.bias };
  }

  /** Takes trained parameters of the same shape instead of training; false (and nothing taken) otherwise. */
  restore(parameters: { weights: Float32Array; bias: Float32Array }): boolean {
    if (parameters.weights.length !== this.weights.length || parameters.bias.length !== this.bias.length) return false;
    this.weights.set(parameters.weights);
    this.bias.set(parameters.bias);
    return true;
  }

  /** Raw class scores (logits) for one vector. */
  logits(x: SparseVector, out: Float64Array = new Float64Array(this.classCount)): Float64Array {
    const k = this.classCount;
    for (let c = 0; c < k; c++) out[c] = this.bias[c]!;
    const { indices, values } = x;
    for (let j = 0; j < indices.length; j++) {
      const base = indices[j]! * k;
      const v = values[j]!;
      for (let c = 0; c < k; c++) out[c]! += this.weights[base + c]! * v;
    }
    return out;
  }

  train(examples: TrainingExample[], options: TrainingOptions = DEFAULT_TRAINING): void {
    const k = this.classCount;
    const order = examples.map((_, i) => i);
    const random = mulberry32(options.seed);
    const scores = new Float64Array(k);
    let step = 0;
    const total = options.epochs * examples.length;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const index of order) {
        const example = examples[index]!;
        const lr = (options.learningRate * (1 - step / total) + 0.01) * example.weight;
        step++;
        softmaxInPlace(this.logits(example.x, scores));
        scores[example.label]! -= 1; // gradient of cross-entropy w.r.t. logits
        for (let c = 0; c < k; c++) this.bias[c]! -= lr * scores[c]!;
        const { indices, values } = example.x;
        for (let j = 0; j < indices.length; j++) {
          const base = indices[j]! * k;
          const v = values[j]!;
          for (let c = 0; c < k; c++) {
            const w = this.weights[base + c]!;
            this.weights[base + c] = w - lr * (scores[c]! * v + options.l2 * w);
          }
        }
      }
    }
  }
}

/** Softmax with a temperature, in place; returns its argument. */
export function softmaxInPlace(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c]! - max) / temperature);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
  return scores;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
