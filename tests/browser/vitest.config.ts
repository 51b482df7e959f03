import { defineConfig } from "vitest/config";

// `npm run test:browser`: the course website in a real browser (Debian's chromium, driven by playwright-core).
// Kept out of `npm test`, which must pass fast on a machine without a browser; CI runs it after `npm test`.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.browser.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One file at a time: the playground's test measures training speed, which a second Chromium would halve.
    fileParallelism: false,
  },
});
