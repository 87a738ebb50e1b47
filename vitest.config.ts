import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Several suites build real indexes and start real servers; two cores are shared between them.
    maxWorkers: 2,
    // Suites share a worker's loaded modules (botbuilder, jieba, the dictionary) instead of each loading
    // them again: no suite mocks modules or leaves global state behind.
    isolate: false,
  },
});
