import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The page answers within a second on a quiet machine, but CI shares 2 cores with the build
    // and the worker; a poll gives up only after 20 s, so load slows a test instead of failing it.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
})
