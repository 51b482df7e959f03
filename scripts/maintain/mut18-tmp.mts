import { Stryker } from "@stryker-mutator/core";
import { regionRanges } from "/work/wt/speed/scripts/maintain/mutants.ts";

process.env.COURSE_TARGET = "solutions";
const mutate = regionRanges().filter((r) => r.includes("matmul-loops"));
console.log(mutate);
const stryker = new Stryker({
  testRunner: "vitest",
  vitest: { configFile: "scripts/maintain/vitest.mutation.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate,
  ignorePatterns: ["/.course", "/coverage", "/site", "/src", "/docs", "/tests", "/reports"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "json"],
  jsonReporter: { fileName: "/tmp/mut18/mutation.json" },
  timeoutFactor: 3,
  timeoutMS: 20_000,
  cleanTempDir: "always",
});
const started = Date.now();
await stryker.runMutationTest();
console.log(`took ${((Date.now() - started) / 60000).toFixed(1)} min`);
