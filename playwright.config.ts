import { defineConfig } from '@playwright/test';
import type { HostKind } from './e2e/fixtures.ts';

// Specs are written once (e2e/*.spec.ts) and run against each host: the browser host in Debian's
// Chromium, and Electron where its binary exists (skipped with the reason where it does not).
export default defineConfig<object, { hostKind: HostKind }>({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', use: { hostKind: 'browser' } },
    { name: 'electron', use: { hostKind: 'electron' } },
  ],
});
