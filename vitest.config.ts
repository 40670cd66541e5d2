import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The classifier trained once, its weights cached for every worker and subprocess (see the file).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Test files share their worker's module cache, so the classifier is trained once per worker, not once
    // per file (compose() keeps trained classifiers by training set).
    isolate: false,
    // Vitest leaves one core free, which on a 2-core machine is one worker. Much of the suite waits on
    // subprocesses, fake servers and a browser, so more workers than cores overlap well: on this 2-core
    // machine one worker took 119 s, two 104 s and three 78 s (873 tests).
    maxWorkers: Math.max(3, availableParallelism() + 1),
  },
});
