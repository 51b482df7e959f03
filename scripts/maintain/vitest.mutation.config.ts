/**
 * The vitest config Stryker runs (`npm run mutation`): the course's config, but only the lesson tests,
 * since the question is whether the lessons catch a wrong solution. COURSE_TARGET=solutions is set by
 * mutation.ts; the alias resolves inside Stryker's sandbox copy, so the tests import the mutated code.
 */
import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

export default defineConfig((env) => {
  const course = base(env);
  // Stryker's instrumented code runs tens of times slower (lesson 17's training about fifty times), and a test that
  // times out in Stryker's first, unmutated run stops the whole run: give every test minutes on a busy machine.
  // A mutant that hangs is stopped by Stryker's own timeout, not by this one.
  return { ...course, test: { ...course.test, include: ["lessons/**/*.test.ts"], testTimeout: 300_000 } };
});
