/**
 * K-fold cross-validation over intents/: accuracy, calibration (log loss, the best softmax
 * temperature, expected calibration error) and the weakest intents. Used to choose the temperature
 * and to watch the training data's quality; see docs/CLASSIFIER.md.
 */
import type { Content } from '../content/load-content.js';
import { isRejectionId, OUT_OF_SCOPE } from '../content/ids.js';
import { DEFAULT_TEMPERATURE, trainClassifier, trainingSetFrom, type ClassifierOptions, type LabelledText } from './classifier.js';
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
  /** Out-of-fold eval-label accuracy and out-of-scope precision/recall if messages below t are "unsure". */
  thresholdSweep: Array<{ minConfidence: number; accuracy: number; oosPrecision: number; oosRecall: number }>;
  /** For each margin: share of rejection messages asked to choose, and how often top-1 was wrong but top-2 right then. */
  marginSweep: Array<{ margin: number; askedShare: number; rescuedShare: number; bothWrongShare: number }>;
}

export function crossValidate(content: Content, options: { folds?: number; classifier?: ClassifierOptions } = {}): CrossValidationReport {
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
    const classifier = trainClassifier(train, options.classifier);
    examples.forEach((d, i) => {
      if (foldOf[i] === fold) outOfFold.push({ label: d.label, logits: classifier.logits(d.text), intents: classifier.intents });
    });
  }

  const predictions = (temperature: number) =>
    outOfFold.map(({ label, logits, intents }) => {
      const p = softmaxInPlace(Float64Array.from(logits), temperature);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      let second = best === 0 ? 1 : 0;
      for (let c = 0; c < p.length; c++) if (c !== best && p[c]! > p[second]!) second = c;
      return {
        label,
        predicted: intents[best]!,
        confidence: p[best]!,
        runnerUp: intents[second]!,
        runnerUpConfidence: p[second]!,
        pGold: p[intents.indexOf(label)] ?? 0,
      };
    });
  const logLoss = (temperature: number) => predictions(temperature).reduce((sum, p) => sum - Math.log(Math.max(p.pGold, 1e-12)), 0) / outOfFold.length;

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

  const thresholdSweep = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5].map((minConfidence) => {
    const pairs = atConfigured.map((p) => [toEvalLabel(p.label), p.confidence < minConfidence ? OUT_OF_SCOPE : toEvalLabel(p.predicted)] as const);
    const predictedOos = pairs.filter(([, pr]) => pr === OUT_OF_SCOPE);
    const goldOos = pairs.filter(([g]) => g === OUT_OF_SCOPE);
    return {
      minConfidence,
      accuracy: pairs.filter(([g, pr]) => g === pr).length / pairs.length,
      oosPrecision: predictedOos.filter(([g]) => g === OUT_OF_SCOPE).length / Math.max(1, predictedOos.length),
      oosRecall: goldOos.filter(([, pr]) => pr === OUT_OF_SCOPE).length / Math.max(1, goldOos.length),
    };
  });

  const rejections = atConfigured.filter((p) => isRejectionId(p.label) && isRejectionId(p.predicted));
  const marginSweep = [0.05, 0.1, 0.15, 0.2, 0.3].map((margin) => {
    const asked = rejections.filter((p) => isRejectionId(p.runnerUp) && p.confidence - p.runnerUpConfidence < margin);
    return {
      margin,
      askedShare: asked.length / rejections.length,
      rescuedShare: asked.filter((p) => p.predicted !== p.label && p.runnerUp === p.label).length / Math.max(1, asked.length),
      bothWrongShare: asked.filter((p) => p.predicted !== p.label && p.runnerUp !== p.label).length / Math.max(1, asked.length),
    };
  });

  return {
    thresholdSweep,
    marginSweep,
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
    weakest: [...recall]
      .map(([label, [hit, total]]) => [label, hit / total] as [string, number])
      .sort((a, b) => a[1] - b[1])
      .slice(0, 6),
  };
}
