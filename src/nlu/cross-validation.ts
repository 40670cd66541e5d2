/**
 * K-fold cross-validation over intents/: accuracy, calibration (log loss, the best softmax
 * temperature, expected calibration error) and the weakest intents. Used to choose the temperature
 * and to watch the training data's quality; see docs/CLASSIFIER.md.
 */
import type { Content } from '../content/load-content.js';
import { isRejectionId, OUT_OF_SCOPE } from '../content/ids.js';
import { DEFAULT_TEMPERATURE, trainClassifier, trainingSetFrom, type LabelledText } from './classifier.js';
import { softmaxInPlace } from './softmax-model.js';

export interface CrossValidationReport {
  folds: number;
  n: number;
  accuracy: number;
  /** Accuracy with every non-rejection intent mapped to out_of_scope, as the evaluation scores. */
  labelAccuracy: number;
  logLossAtOne: number;
  bestTemperature: number;
  bestLogLoss: number;
  ece: number;
  reliability: Array<{ range: string; confidence: number; accuracy: number; count: number }>;
  weakest: Array<[string, number]>;
}

export function crossValidate(content: Content, options: { folds?: number; seed?: number } = {}): CrossValidationReport {
  const folds = Math.max(2, options.folds ?? 5);
  const all = trainingSetFrom(content);
  const examples = all.filter((d) => d.weight === undefined);
  const grounding = all.filter((d) => d.weight !== undefined);
  // Stratified assignment: the i-th example of each label goes to fold i mod K.
  const seen = new Map<string, number>();
  const foldOf = examples.map((d) => {
    const i = seen.get(d.label) ?? 0;
    seen.set(d.label, i + 1);
    return i % folds;
  });

  const outOfFold: Array<{ label: string; logits: Float64Array; intents: readonly string[] }> = [];
  for (let fold = 0; fold < folds; fold++) {
    const train: LabelledText[] = [...grounding, ...examples.filter((_, i) => foldOf[i] !== fold)];
    const classifier = trainClassifier(train);
    examples.forEach((d, i) => {
      if (foldOf[i] === fold) outOfFold.push({ label: d.label, logits: classifier.logits(d.text), intents: classifier.intents });
    });
  }

  const predictions = (temperature: number) =>
    outOfFold.map(({ label, logits, intents }) => {
      const p = softmaxInPlace(Float64Array.from(logits), temperature);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      return { label, predicted: intents[best]!, confidence: p[best]!, pGold: p[intents.indexOf(label)] ?? 0 };
    });
  const logLoss = (temperature: number) =>
    predictions(temperature).reduce((sum, p) => sum - Math.log(Math.max(p.pGold, 1e-12)), 0) / outOfFold.length;

  let bestTemperature = 1;
  let bestLogLoss = Infinity;
  for (let t = 0.1; t <= 3.001; t += 0.05) {
    const loss = logLoss(t);
    if (loss < bestLogLoss) [bestTemperature, bestLogLoss] = [t, loss];
  }

  const atConfigured = predictions(DEFAULT_TEMPERATURE);
  const toEvalLabel = (intent: string) => (isRejectionId(intent) ? intent : OUT_OF_SCOPE);
  const bins = Array.from({ length: 10 }, (_, i) => ({ lo: i / 10, hi: (i + 1) / 10, conf: 0, correct: 0, count: 0 }));
  for (const p of atConfigured) {
    const bin = bins[Math.min(9, Math.floor(p.confidence * 10))]!;
    bin.conf += p.confidence;
    bin.correct += p.predicted === p.label ? 1 : 0;
    bin.count++;
  }
  const ece = bins.reduce((sum, b) => sum + (b.count === 0 ? 0 : (b.count / atConfigured.length) * Math.abs(b.conf / b.count - b.correct / b.count)), 0);

  const recall = new Map<string, [number, number]>();
  for (const p of atConfigured) {
    const [hit, total] = recall.get(p.label) ?? [0, 0];
    recall.set(p.label, [hit + (p.predicted === p.label ? 1 : 0), total + 1]);
  }

  return {
    folds,
    n: outOfFold.length,
    accuracy: atConfigured.filter((p) => p.predicted === p.label).length / atConfigured.length,
    labelAccuracy: atConfigured.filter((p) => toEvalLabel(p.predicted) === toEvalLabel(p.label)).length / atConfigured.length,
    logLossAtOne: logLoss(1),
    bestTemperature: Math.round(bestTemperature * 100) / 100,
    bestLogLoss,
    ece,
    reliability: bins
      .filter((b) => b.count > 0)
      .map((b) => ({ range: `${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`, confidence: b.conf / b.count, accuracy: b.correct / b.count, count: b.count })),
    weakest: [...recall].map(([label, [hit, total]]) => [label, hit / total] as [string, number]).sort((a, b) => a[1] - b[1]).slice(0, 6),
  };
}
