/**
 * Vitest setup file: the course's V8 setting (v8-flags.ts) in every test process, set from inside it, because
 * vitest may run tests in worker threads (Stryker does), which cannot be started with V8 flags.
 */
import { useCourseV8Flags } from "./v8-flags";

useCourseV8Flags();
