import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Test files share their worker's module cache, so the classifier is trained once per worker, not once
    // per file (compose() keeps trained classifiers by training set): the suite takes about 1.9 min here, not 3.4.
    isolate: false,
  },
});
