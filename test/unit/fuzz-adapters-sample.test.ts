/** A sample of the adapter parsing and rendering properties `npm run fuzz` runs at length. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { adapterProperties } from '../fuzz/adapter-properties.js';

describe('Slack and Discord adapters under generated input (sample)', () => {
  it.each(adapterProperties())('%s', (_name, property) => {
    fc.assert(property, { numRuns: 200, seed: 20261201 });
  });
});
