import { defineConfig } from 'vitest/config';

// Browser tests share one Chromium and one server per file; run files one after another on this 2-core machine.
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
