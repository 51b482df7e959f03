/**
 * The vitest configuration of a grading run: the course's own (vitest.config.ts: the `@course` alias from
 * COURSE_TARGET, the lesson setup), plus what makes the run a grading run:
 * - harden.setup.ts first, so the built-ins are frozen before a test file imports the learner's code, then
 *   trust.setup.ts, which checks every value an assertion is handed, and quiet.setup.ts, which counts and
 *   drops what the code prints;
 * - the test process (vitest's worker) runs with `--disallow-code-generation-from-strings` and the heap limit;
 * - test files run in lesson order, so a run stopped part-way has finished the earliest lessons;
 * - vite's cache goes to a folder of the run's own (the course tree is read-only in the sandbox).
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import course from "../../vitest.config.ts";

const memoryMb = Number(process.env.COURSE_GRADE_MEMORY_MB) || 512;

class LessonOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig((env) =>
  mergeConfig(course(env), {
    cacheDir: process.env.COURSE_GRADE_CACHE ?? path.join(os.tmpdir(), "course-grade-vite"),
    test: {
      setupFiles: ["harden.setup.ts", "trust.setup.ts", "quiet.setup.ts"].map((file) =>
        fileURLToPath(new URL(file, import.meta.url)),
      ),
      execArgv: ["--disallow-code-generation-from-strings", `--max-old-space-size=${memoryMb}`],
      sequence: { sequencer: LessonOrder },
    },
  }),
);
