/**
 * The vitest config Stryker runs (`npm run mutation`): the course's config, but only the lesson tests,
 * since the question is whether the lessons catch a wrong solution. COURSE_TARGET=solutions is set by
 * mutation.ts; the alias resolves inside Stryker's sandbox copy, so the tests import the mutated code.
 */
import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

export default defineConfig((env) => {
  const course = base(env);
  // Stryker's instrumented code runs several times slower: give the 100 000-node chains room.
  return { ...course, test: { ...course.test, include: ["lessons/**/*.test.ts"], testTimeout: 60_000 } };
});
