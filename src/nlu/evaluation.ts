/**
 * Scoring for the intent classifier, shared by `npm run eval`, the benchmark and the held-out test.
 * Any prediction that is not a rejection reason counts as `out_of_scope`.
 */
import { isRejectionId, OUT_OF_SCOPE } from '../content/ids.js';
import type { Understanding } from './understand.js';

export interface LabelledRow {
  text: string;
  label: string;
}

/** A notice with several reasons, scored as a set. */
export interface MultiLabelledRow {
  text: string;
  labels: string[];
}

export interface MultiReport {
  n: number;
  /** Share of notices whose recognised set equals the labels exactly. */
  exact: number;
  /** Reasons recognised among all labelled reasons. */
  recall: number;
  /** Recognised reasons that are labelled, among all recognised. */
  precision: number;
}

export interface LabelScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  inScopeAccuracy: number;
  oos: { precision: number; recall: number };
  perLabel: Record<string, LabelScore>;
  confusions: Array<{ gold: string; predicted: string; count: number }>;
  unknownLabels: string[];
}

/** The label the bot effectively gives a message: its rejection reason, or out_of_scope. */
export function predictedLabel(understanding: Understanding): string {
  if ((understanding.kind === 'rejection' || understanding.kind === 'ambiguous') && isRejectionId(understanding.intent)) {
    return understanding.intent;
  }
  return OUT_OF_SCOPE;
}

/** Parses JSON lines of `{text, label}`; names the line of any malformed entry. */
export function parseLabelledRows(source: string): LabelledRow[] {
  return parseEvaluationRows(source).single;
}

/** Parses JSON lines of `{text, label}` or `{text, labels: [...]}`; names the line of any malformed entry. */
export function parseEvaluationRows(source: string): { single: LabelledRow[]; multi: MultiLabelledRow[] } {
  const single: LabelledRow[] = [];
  const multi: MultiLabelledRow[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not valid JSON`);
    }
    const row = value as { text?: unknown; label?: unknown; labels?: unknown };
    if (typeof row.text === 'string' && Array.isArray(row.labels) && row.labels.length > 0 && row.labels.every((l) => typeof l === 'string')) {
      multi.push({ text: row.text, labels: row.labels as string[] });
    } else if (typeof row.text === 'string' && typeof row.label === 'string') {
      single.push({ text: row.text, label: row.label });
    } else {
      throw new Error(`line ${i + 1}: needs a string "text" and a string "label" or a non-empty array of strings "labels"`);
    }
  });
  return { single, multi };
}

/** Scores recognised reason sets against labelled ones. */
export function scoreMulti(gold: string[][], predicted: string[][]): MultiReport {
  let exact = 0;
  let labelled = 0;
  let recognised = 0;
  let correct = 0;
  gold.forEach((labels, i) => {
    const want = new Set(labels);
    const got = new Set(predicted[i] ?? []);
    labelled += want.size;
    recognised += got.size;
    const hits = [...got].filter((r) => want.has(r)).length;
    correct += hits;
    if (hits === want.size && got.size === want.size) exact++;
  });
  return {
    n: gold.length,
    exact: gold.length === 0 ? 0 : exact / gold.length,
    recall: labelled === 0 ? 0 : correct / labelled,
    precision: recognised === 0 ? 0 : correct / recognised,
  };
}

export function scorePredictions(gold: string[], predicted: string[]): EvaluationReport {
  const n = gold.length;
  const unknownLabels = [...new Set(gold.filter((g) => g !== OUT_OF_SCOPE && !isRejectionId(g)))];
  const labels = [...new Set([...gold, ...predicted])].sort();
  const perLabel: Record<string, LabelScore> = {};
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === label && gold[i] === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (gold[i] === label) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1, support: tp + fn };
  }
  const goldLabels = [...new Set(gold)];
  const correct = gold.filter((g, i) => g === predicted[i]).length;
  const inScope = gold.map((g, i) => [g, predicted[i]] as const).filter(([g]) => isRejectionId(g));
  const confusionCounts = new Map<string, number>();
  gold.forEach((g, i) => {
    if (g !== predicted[i]) confusionCounts.set(`${g}\u0000${predicted[i]}`, (confusionCounts.get(`${g}\u0000${predicted[i]}`) ?? 0) + 1);
  });
  const oos = perLabel[OUT_OF_SCOPE];
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: goldLabels.length === 0 ? 0 : goldLabels.reduce((sum, l) => sum + (perLabel[l]?.f1 ?? 0), 0) / goldLabels.length,
    inScopeAccuracy: inScope.length === 0 ? 0 : inScope.filter(([g, p]) => g === p).length / inScope.length,
    oos: { precision: oos?.precision ?? 0, recall: oos?.recall ?? 0 },
    perLabel,
    confusions: [...confusionCounts]
      .map(([key, count]) => {
        const [g, p] = key.split('\u0000');
        return { gold: g!, predicted: p!, count };
      })
      .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold)),
    unknownLabels,
  };
}
