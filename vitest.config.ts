import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every stand-in exchange of a test file must pass the strict spec check (see the file).
    setupFiles: ['test/support/spec-check-setup.ts'],
    globalSetup: ['test/support/specs-note.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so spawned servers and real services are not starved.
    pool: 'forks',
    maxWorkers: 2,
    env: { CI: process.env.CI ?? '' },
  },
});
