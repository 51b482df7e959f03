import { defineConfig } from "vitest/config";
import { courseAliases, resolveTarget } from "./scripts/lib/target.ts";

// Which copy of the course code the tests import through `@course`:
// the learner's `src/` by default, `solutions/` or any other folder with COURSE_TARGET.
const target = resolveTarget(process.env.COURSE_TARGET);

export default defineConfig({
  resolve: { alias: courseAliases(target) },
  test: {
    include: ["lessons/**/*.test.ts", "tests/**/*.test.ts"],
    // A failure caused by an earlier lesson's stub names the lesson being run too.
    setupFiles: ["lessons/earlier-lesson.setup.ts"],
    // The course runs on small machines; two workers keep the lessons snappy without thrashing.
    maxWorkers: 2,
    // `npm run coverage` (vitest run --coverage): how much of the reference code the tests run.
    coverage: {
      provider: "v8",
      include: ["solutions/**/*.ts"],
      reporter: ["text", "html"],
      reportsDirectory: "coverage",
      thresholds: { lines: 95, branches: 95 },
    },
  },
});
