import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Test files share their worker's module cache, so the classifier is trained once per worker, not once
    // per file (compose() keeps trained classifiers by training set).
    isolate: false,
    // Vitest leaves one core free, which on a 2-core machine is one worker: the suite took 119 s there.
    // Much of it waits on subprocesses and fake servers, so two workers on two cores overlap well (70-72 s).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
