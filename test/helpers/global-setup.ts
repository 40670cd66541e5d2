/**
 * Runs once before any test worker: trains the classifier (or finds it cached) so its weights are in
 * node_modules/.cache/portpilot before the workers and the subprocesses they start look for them; on a
 * fresh clone each of them would otherwise train the same classifier at the same time.
 */
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';

export default async function setup(): Promise<void> {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const composition = compose(loadConfig({ PORTPILOT_STORE_URL: 'memory://', LOG_LEVEL: 'silent' }), { logger: silent });
  await composition.store.close();
}
