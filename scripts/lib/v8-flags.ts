/**
 * The V8 setting every course tool runs the course's code with, in one place: the study and the
 * measurements (and their worker threads), the bench, and every vitest run (lessons, dashboard, guided mode,
 * grading, mutation testing) through the setup file that vitest.config.ts names (v8-flags.setup.ts).
 *
 * Why: V8 creates a closure written straight into a property (`out.localBackward = () => ...`, the way a
 * learner naturally writes it) in the old generation until the operation is optimised; such a closure keeps its
 * graph alive through every young-generation collection, V8 then sees the `children` arrays survive and starts
 * allocating them in the old generation too ("allocation-site pretenuring"), and training runs two to five
 * times slower. The reference code names its closures first and does not fall into it; a learner's code may.
 * With pretenuring off, both run at the same speed (docs/bench.md, "Why the engine was slow").
 */
import v8 from "node:v8";

export const COURSE_V8_FLAGS = ["--no-allocation-site-pretenuring"];

/**
 * Turns the setting on in this process. V8 flags belong to the whole process, so worker threads started
 * afterwards have it too (a Worker's own `execArgv` cannot carry V8 flags).
 */
export function useCourseV8Flags(): void {
  for (const flag of COURSE_V8_FLAGS) v8.setFlagsFromString(flag);
}
