/**
 * The offline intent classifier: a softmax model over hashed n-grams, trained at start-up on the
 * examples in intents/ and grounded on knowledge/ (article titles, summaries, keywords and the cues
 * of each intent, and each sentence of the article's "What happened" and "Why" sections, become extra
 * training documents at a lower weight). Confidences are temperature-calibrated.
 */
import type { Content } from '../content/load-content.js';
import { DEFAULT_FEATURE_WEIGHTS, FeatureVocabulary, featurize, featurizeForScoring, featurizeTokensForScoring, type FeatureWeights, type SparseVector } from './features.js';
import { indexExamples, type NearestExamplesOptions } from './nearest-examples.js';
import { DEFAULT_TRAINING, SoftmaxModel, softmaxInPlace, type TrainingExample, type TrainingOptions } from './softmax-model.js';

export interface RankedIntent {
  intent: string;
  confidence: number;
}

export interface IntentClassifier {
  readonly intents: readonly string[];
  /** All intents, most likely first, with calibrated confidences that sum to 1. */
  rank(text: string): RankedIntent[];
  /**
   * The linear model's single most likely intent, without the nearest-examples half: for the short
   * parts of a notice read one by one (a clause says little about whole phrasings, and a notice can
   * have a dozen parts, so this keeps long notices fast). Takes the part's normalised tokens
   * (`tokenize(normalizeText(part))`), which the caller already has.
   */
  bestOfParts(tokens: readonly string[]): RankedIntent;
  /** The two most likely intents: `rank(text).slice(0, 2)`, without ranking the rest. */
  topTwo(text: string): [RankedIntent, RankedIntent];
  /** Uncalibrated scores in `intents` order, for calibration and diagnostics. */
  logits(text: string): Float64Array;
}

export interface LabelledText {
  text: string;
  label: string;
  /** Relative weight in training (grounding documents count less than examples). */
  weight?: number;
  /**
   * An example of a generic intent (`generic: true` in its file, e.g. "my port got rejected"): its words
   * appear in every reason's messages, so the linear half learns it at half weight and the
   * nearest-examples half does not remember it (measured: remembering it cost the reasons 1-2 points
   * on every evaluation set).
   */
  generic?: boolean;
}

const GENERIC_EXAMPLE_WEIGHT = 0.5;

/** Trained parameters kept between processes, for one training set and code version (see compose.ts). */
export interface TrainedWeightsCache {
  get(): { weights: Float32Array; bias: Float32Array } | undefined;
  set(parameters: { weights: Float32Array; bias: Float32Array }): void;
}

export interface ClassifierOptions {
  /** Trained weights of this same training set from an earlier process: training is skipped when they fit. */
  weightsCache?: TrainedWeightsCache | undefined;
  training?: TrainingOptions;
  features?: FeatureWeights;
  /**
   * Softmax temperature. Chosen by cross-validation over intents/ (`npm run eval -- --cv`), which
   * prints the temperature that minimises out-of-fold log loss; see docs/CLASSIFIER.md.
   */
  temperature?: number;
  /** Include knowledge-base grounding documents. */
  grounding?: boolean;
  /**
   * The nearest-examples half: `weight` x mean similarity of each intent's `k` closest examples is added
   * to the linear model's scores. Weight 0 leaves the linear model alone. Chosen on test/fixtures/tuning.jsonl,
   * the shared dev set and cross-validation; see docs/CLASSIFIER.md.
   */
  neighbours?: { weight: number } & NearestExamplesOptions;
}

export const DEFAULT_NEIGHBOURS = { weight: 10, k: 2, maxDocumentShare: 0.02, minFeatures: 4 };

export const DEFAULT_TEMPERATURE = 1;

/** Training documents from content: every intent's examples, plus grounding from knowledge/. */
export function trainingSetFrom(content: Content, options: { grounding?: boolean } = {}): LabelledText[] {
  const set: LabelledText[] = [];
  for (const intent of content.intents.values()) {
    for (const text of intent.examples) set.push(intent.generic ? { text, label: intent.id, generic: true } : { text, label: intent.id });
    if (options.grounding === false) continue;
    for (const cue of intent.cues) set.push({ text: cue, label: intent.id, weight: 0.5 });
    const article = content.articles.get(intent.id);
    if (article) {
      set.push({ text: article.title, label: intent.id, weight: 0.5 });
      set.push({ text: article.summary, label: intent.id, weight: 0.5 });
      for (const keyword of article.keywords) set.push({ text: keyword, label: intent.id, weight: 0.5 });
      // Each sentence explaining what happened and why reads like a customer's or carrier's account of it.
      for (const sentence of `${article.sections.what_happened} ${article.sections.why}`.split(/(?<=[.!?])\s+/)) {
        set.push({ text: sentence, label: intent.id, weight: 0.3 });
      }
    }
  }
  return set;
}

export function trainClassifier(data: LabelledText[], options: ClassifierOptions = {}): IntentClassifier {
  const features = options.features ?? DEFAULT_FEATURE_WEIGHTS;
  const intents = [...new Set(data.map((d) => d.label))].sort();
  const labelIndex = new Map(intents.map((intent, i) => [intent, i]));
  const vocabulary = new FeatureVocabulary();
  const examples: TrainingExample[] = data.map((d) => ({
    x: vocabulary.learn(featurize(d.text, features)),
    label: labelIndex.get(d.label)!,
    weight: d.weight ?? (d.generic ? GENERIC_EXAMPLE_WEIGHT : 1),
  }));
  const model = new SoftmaxModel(intents.length, vocabulary.size);
  const cached = options.weightsCache?.get();
  if (!cached || !model.restore(cached)) {
    model.train(examples, options.training ?? DEFAULT_TRAINING);
    options.weightsCache?.set(model.parameters());
  }
  const neighbours = options.neighbours ?? DEFAULT_NEIGHBOURS;
  // Only the intents' own, specific examples are remembered as phrasings; grounding documents (weighted) are not.
  const nearest = indexExamples(
    examples.filter((_, i) => data[i]!.weight === undefined && !data[i]!.generic),
    intents.length,
    vocabulary.size,
    neighbours,
  );
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  const scratch = new Float64Array(intents.length);

  /** Scores of the linear model plus the nearest-examples similarity, in `intents` order. */
  const scoresOf = (hashed: SparseVector, out: Float64Array): Float64Array => {
    const x = vocabulary.project(hashed);
    model.logits(x, out);
    return neighbours.weight === 0 ? out : nearest.addSimilarities(x, neighbours.weight, out);
  };

  return {
    intents,
    rank(text: string): RankedIntent[] {
      return rankVector(featurizeForScoring(text, features));
    },
    bestOfParts(tokens: readonly string[]): RankedIntent {
      return bestOf(softmaxInPlace(model.logits(vocabulary.project(featurizeTokensForScoring(tokens, features)), scratch), temperature));
    },
    topTwo(text: string): [RankedIntent, RankedIntent] {
      const p = probabilitiesOf(text);
      let first = 0;
      let second = 1;
      if (p[second]! > p[first]!) [first, second] = [second, first];
      for (let c = 2; c < p.length; c++) {
        if (p[c]! > p[first]!) [first, second] = [c, first];
        else if (p[c]! > p[second]!) second = c;
      }
      return [
        { intent: intents[first]!, confidence: p[first]! },
        { intent: intents[second]!, confidence: p[second]! },
      ];
    },
    logits(text: string): Float64Array {
      return scoresOf(featurize(text, features), new Float64Array(intents.length));
    },
  };

  function bestOf(probabilities: Float64Array): RankedIntent {
    let top = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[top]!) top = c;
    return { intent: intents[top]!, confidence: probabilities[top]! };
  }

  /** Calibrated probabilities in `intents` order, in a buffer reused by the next call. */
  function probabilitiesOf(text: string): Float64Array {
    return softmaxInPlace(scoresOf(featurizeForScoring(text, features), scratch), temperature);
  }

  function rankVector(x: SparseVector): RankedIntent[] {
    const probabilities = softmaxInPlace(scoresOf(x, scratch), temperature);
    const ranked = intents.map((intent, i) => ({ intent, confidence: probabilities[i]! }));
    return ranked.sort((a, b) => b.confidence - a.confidence);
  }
}
