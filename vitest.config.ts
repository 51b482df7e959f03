import { defineConfig } from "vitest/config";
import { courseAliases, resolveTarget } from "./scripts/lib/target.ts";
import { COURSE_V8_FLAGS } from "./scripts/lib/v8-flags.ts";

// Which copy of the course code the tests import through `@course`: the learner's `src/` by default,
// `solutions/` or any other folder with COURSE_TARGET. `vitest --mode solutions` (what `npm test` runs) says the
// same without setting a variable, which Windows shells cannot do the POSIX way; COURSE_TARGET wins if both are set.
export default defineConfig(({ mode }) => {
  const target = resolveTarget(process.env.COURSE_TARGET || (mode === "test" ? undefined : mode));
  return {
    resolve: { alias: courseAliases(target) },
    test: {
      include: ["lessons/**/*.test.ts", "tests/**/*.test.ts"],
      // A failure caused by an earlier lesson's stub names the lesson being run too.
      setupFiles: ["lessons/earlier-lesson.setup.ts"],
      // The course runs on small machines; two workers keep the lessons snappy without thrashing.
      maxWorkers: 2,
      // The test processes train networks (lessons 09 on) with the same V8 setting as every course tool.
      execArgv: COURSE_V8_FLAGS,
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
