import { defineConfig } from "vitest/config";
import { courseAliases, resolveTarget } from "./scripts/lib/target.ts";

// Which copy of the course code the tests import through `@course`: the learner's `src/` by default,
// `solutions/` or any other folder with COURSE_TARGET. `vitest --mode solutions` (what `npm test` runs) says the
// same without setting a variable, which Windows shells cannot do the POSIX way; COURSE_TARGET wins if both are set.
export default defineConfig(({ mode }) => {
  const target = resolveTarget(process.env.COURSE_TARGET || (mode === "test" ? undefined : mode));
  return {
    resolve: { alias: courseAliases(target) },
    test: {
      include: ["lessons/**/*.test.ts", "tests/**/*.test.ts"],
      // The V8 setting of every course tool (the tests from lesson 09 on train networks), and a failure caused by
      // an earlier lesson's stub names the lesson being run too.
      setupFiles: ["scripts/lib/v8-flags.setup.ts", "lessons/earlier-lesson.setup.ts"],
      // The course runs on small machines; two workers keep the lessons snappy without thrashing.
      maxWorkers: 2,
      // ... and those machines are rarely idle: a test that takes 1 s alone takes 5 to 10 s beside two busy
      // processes, so vitest's 5 s default would fail honest code. A test that needs more says so itself.
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // `npm run coverage` (vitest run --coverage): how much of the reference code the tests run.
      coverage: {
        provider: "v8" as const,
        include: ["solutions/**/*.ts"],
        reporter: ["text", "html"],
        reportsDirectory: "coverage",
        thresholds: { lines: 95, branches: 95 },
      },
    },
  };
});
