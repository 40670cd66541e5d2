/**
 * The classifier as a customer meets it: recognises the reason behind many wordings, knows what is
 * out of scope, finds several reasons in one notice, and stays accurate on our held-out set.
 * test/fixtures/holdout-v2.jsonl was written independently of intents/ and is never used for training.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/compose.js';
import { type IntentClassifier, trainClassifier } from '../../src/nlu/classifier.js';
import { crossValidate } from '../../src/nlu/cross-validation.js';
import { parseLabelledRows, predictedLabel, scorePredictions } from '../../src/nlu/evaluation.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import { composeTestBot } from '../helpers/compose-test-bot.js';

const { understander, content } = composeTestBot();
const labelOf = (text: string) => predictedLabel(understander.understand(text));

/** Accuracy floor on the held-out set; measured 0.961 when set, 0.973 with the nearest-examples half (docs/CLASSIFIER.md). */
const HOLDOUT_ACCURACY_FLOOR = 0.92;
const HOLDOUT_OOS_RECALL_FLOOR = 0.8;

describe('held-out accuracy', () => {
  it(`stays at or above ${HOLDOUT_ACCURACY_FLOOR} on test/fixtures/holdout-v2.jsonl`, () => {
    const rows = parseLabelledRows(readFileSync(join(PROJECT_ROOT, 'test/fixtures/holdout-v2.jsonl'), 'utf8'));
    const report = scorePredictions(
      rows.map((r) => r.label),
      rows.map((r) => labelOf(r.text)),
    );
    expect(report.n).toBe(330);
    expect(report.accuracy).toBeGreaterThanOrEqual(HOLDOUT_ACCURACY_FLOOR);
    expect(report.oos.recall).toBeGreaterThanOrEqual(HOLDOUT_OOS_RECALL_FLOOR);
  });

  it('is calibrated: cross-validated expected calibration error stays small', () => {
    const report = crossValidate(content, { folds: 3 });
    expect(report.ece).toBeLessThan(0.05);
    expect(report.labelAccuracy).toBeGreaterThan(0.88);
  }, 60_000);
});

describe('robust to how customers and carriers write', () => {
  it.each([
    ['REJ: PORT_FREEZE_ON_ACCOUNT', 'freeze'],
    ['{"orderId":"PO-48213","status":"REJECTED","reason":"GOOGLE_VOICE_NUMBER_LOCKED"}', 'google_voice_unlock'],
    ['port rejectd, the carier says theres a hunt grup and the piolt number is moving', 'hunt_group'],
    ['MY PORT GOT REJECTED BECAUSE OF A PIN??', 'pin_required'],
    ['they say my boss isnt the one listed as authorized on the account', 'authorized_name'],
  ])('%s -> %s', (text, label) => {
    expect(labelOf(text)).toBe(label);
  });

  it('classifies a very long paste by its first part, quickly and without failing', () => {
    const paste = `Rejection notice: the number is under contract until March, early termination fee applies.\n${'Lorem ipsum dolor sit amet. '.repeat(4000)}`;
    expect(labelOf(paste)).toBe('under_contract');
  });

  it.each(['how do I register my brand for 10DLC texting?', 'my calls keep dropping after two minutes', 'where do I find my API key?', "what's your favourite pizza"])(
    'knows %j is not a rejection',
    (text) => {
      expect(labelOf(text)).toBe('out_of_scope');
    },
  );

  it.each(['555-0199', '(312) 555-0150', 'yes'])('does not read a bare answer like %j as a rejection reason', (text) => {
    expect(understander.understand(text).kind).not.toBe('rejection');
  });
});

describe('several reasons in one notice', () => {
  it('finds every reason, in the order the notice gives them', () => {
    const u = understander.understand('Your port request PO-48213 was rejected. Reasons: 1) Service address does not match the CSR. 2) Account PIN required.');
    expect(u.kind).toBe('rejection');
    expect(u.kind === 'rejection' && u.reasons).toEqual(['info_mismatch', 'pin_required']);
  });

  it('reads reasons from a provider JSON list', () => {
    const u = understander.understand('{"status":"rejected","reasons":["BTN mismatch","Number under contract","Pending order on account"]}');
    expect(u.kind === 'rejection' && u.reasons).toEqual(['info_mismatch', 'under_contract', 'pending_order']);
  });

  it('returns a single reason for a single-reason message', () => {
    const u = understander.understand('ugh my google voice port failed again, it says the number is locked');
    expect(u.kind === 'rejection' && u.reasons).toEqual(['google_voice_unlock']);
  });
});

describe('decision thresholds', () => {
  const fixed = (ranks: Array<[string, number]>): IntentClassifier => ({
    intents: ranks.map(([intent]) => intent),
    rank: () => ranks.map(([intent, confidence]) => ({ intent, confidence })),
    bestOfParts: () => ({ intent: ranks[0]![0], confidence: ranks[0]![1] }),
    topTwo: () => [
      { intent: ranks[0]![0], confidence: ranks[0]![1] },
      { intent: ranks[1]![0], confidence: ranks[1]![1] },
    ],
    logits: () => new Float64Array(ranks.length),
  });

  it('asks the customer to choose when the two best reasons are close', () => {
    const u = createUnderstander(
      fixed([
        ['freeze', 0.45],
        ['pin_required', 0.4],
        ['out_of_scope', 0.15],
      ]),
    ).understand('x');
    expect(u.kind).toBe('ambiguous');
    expect(u.kind === 'ambiguous' && u.options.map((o) => o.intent)).toEqual(['freeze', 'pin_required']);
  });

  it('is unsure below the confidence threshold', () => {
    expect(
      createUnderstander(
        fixed([
          ['freeze', 0.15],
          ['pin_required', 0.14],
        ]),
      ).understand('x').kind,
    ).toBe('unsure');
  });

  it('does not call a conversation intent ambiguous', () => {
    expect(
      createUnderstander(
        fixed([
          ['greeting', 0.5],
          ['freeze', 0.45],
        ]),
      ).understand('x').kind,
    ).toBe('conversation');
  });
});

describe('evaluation scoring', () => {
  it('scores a label the bot does not know as a miss, with a warning list, not a crash', () => {
    const report = scorePredictions(['freeze', 'billing_question', 'out_of_scope'], ['freeze', 'out_of_scope', 'out_of_scope']);
    expect(report.unknownLabels).toEqual(['billing_question']);
    expect(report.accuracy).toBeCloseTo(2 / 3);
    expect(report.oos.precision).toBeCloseTo(0.5);
    expect(report.oos.recall).toBe(1);
  });
});

describe('trained weights kept between processes', () => {
  const data = [
    ...['my port was rejected, the account is frozen', 'there is a freeze on the account', 'port freeze blocks it', 'the carrier froze my number', 'remove the freeze please'].map(
      (text) => ({ text, label: 'freeze' }),
    ),
    ...['the pin was wrong', 'they want the port out pin', 'missing transfer pin', 'pin invalid on the order', 'I need a new pin'].map((text) => ({ text, label: 'pin_required' })),
  ];
  const probe = ['the account has a freeze', 'wrong pin again', 'hello there'];

  it('GIVEN weights cached by an earlier training THEN a classifier restored from them answers exactly as the trained one, without training', () => {
    let stored: { weights: Float32Array; bias: Float32Array } | undefined;
    const cache = {
      get: () => stored,
      set: (p: { weights: Float32Array; bias: Float32Array }) => {
        stored = { weights: p.weights.slice(), bias: p.bias.slice() };
      },
    };
    const trained = trainClassifier(data, { weightsCache: cache });
    expect(stored).toBeDefined();
    let saved = 0;
    const restored = trainClassifier(data, { weightsCache: { get: () => stored, set: () => void saved++ } });
    expect(saved).toBe(0);
    for (const text of probe) expect(restored.rank(text)).toEqual(trained.rank(text));
  });

  it('GIVEN cached weights of another shape THEN they are ignored and the classifier is trained', () => {
    let saved = 0;
    const wrong = { weights: new Float32Array(3), bias: new Float32Array(2) };
    const classifier = trainClassifier(data, { weightsCache: { get: () => wrong, set: () => void saved++ } });
    expect(saved).toBe(1);
    expect(classifier.rank('the account has a freeze')[0]!.intent).toBe('freeze');
  });
});
