/**
 * The nearest-examples half of the classifier: a message phrased like an example leans towards that
 * example's intent, words every example shares do not count, and a message too short to be recognised
 * by its phrasing is left to the linear model.
 */
import { describe, expect, it } from 'vitest';
import { featurize, FeatureVocabulary } from '../../src/nlu/features.js';
import { indexExamples } from '../../src/nlu/nearest-examples.js';

const examples: Array<[string, number]> = [
  ['my boss is not the authorized user on the account', 0],
  ['the person who signed the form is not on the account', 0],
  ['the carrier wants a pin before the port can go ahead', 1],
  ['they asked for the transfer pin on my account', 1],
  ['my account still owes money from last month', 2],
  ['there is a past due balance on the old account', 2],
];

function build(options: { k?: number; maxDocumentShare?: number; minFeatures?: number } = {}) {
  const vocabulary = new FeatureVocabulary();
  const indexed = examples.map(([text, label]) => ({ x: vocabulary.learn(featurize(text)), label }));
  const nearest = indexExamples(indexed, 3, vocabulary.size, { k: 1, maxDocumentShare: 1, minFeatures: 1, ...options });
  const scores = (text: string) => nearest.addSimilarities(vocabulary.project(featurize(text)), 10, new Float64Array(3));
  return { vocabulary, scores };
}

describe('nearest examples', () => {
  it('scores the intent of the closest phrasing highest, and an exact repeat close to the full weight', () => {
    const { scores } = build();
    const exact = scores('they asked for the transfer pin on my account');
    expect(exact[1]).toBeGreaterThan(9.9);
    expect(exact[1]).toBeGreaterThan(exact[0]! + 3);
    const near = scores('the signer of the form is not on our account');
    expect(near.indexOf(Math.max(...near))).toBe(0);
  });

  it('averages the k closest examples of an intent', () => {
    const one = build({ k: 1 }).scores('my account still owes money from last month');
    const two = build({ k: 2 }).scores('my account still owes money from last month');
    expect(two[2]).toBeLessThan(one[2]!);
    expect(two[2]).toBeGreaterThan(one[2]! / 2);
  });

  it('ignores features found in too many examples, so shared words alone earn nothing', () => {
    // "account" appears in every example: with a low document share it is not indexed at all.
    const { scores } = build({ maxDocumentShare: 0.5 });
    expect([...scores('account account account')]).toEqual([0, 0, 0]);
  });

  it('leaves a message with too few indexed features to the linear model', () => {
    // "pin" has a dozen features at most (the word, its edges, its character n-grams).
    const { scores } = build({ minFeatures: 15 });
    expect([...scores('pin')]).toEqual([0, 0, 0]);
    expect(Math.max(...scores('they asked for the transfer pin on my account'))).toBeGreaterThan(0);
  });

  it('adds to the scores it is given, and a query leaves nothing behind for the next one', () => {
    const { scores, vocabulary } = build();
    const first = scores('there is a past due balance on the old account');
    scores('my boss is not the authorized user on the account');
    expect([...scores('there is a past due balance on the old account')]).toEqual([...first]);
    expect(vocabulary.size).toBeGreaterThan(0);
  });
});

describe('feature vocabulary', () => {
  it('numbers training features densely and drops unseen query features', () => {
    const vocabulary = new FeatureVocabulary();
    const learned = vocabulary.learn(featurize('port out pin'));
    expect(Math.max(...learned.indices)).toBe(vocabulary.size - 1);
    const projected = vocabulary.project(featurize('zzqx unseen words entirely'));
    expect(projected.indices.length).toBeLessThan(featurize('zzqx unseen words entirely').indices.length);
    const again = vocabulary.project(featurize('port out pin'));
    expect([...again.indices].sort()).toEqual([...learned.indices].sort());
  });
});
