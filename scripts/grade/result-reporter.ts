/**
 * The vitest reporter of a grading run. It runs in vitest's main process (the learner's code runs in a
 * worker process) and writes each result, the moment it is known, as one JSON line to file descriptor 3:
 * a pipe the grader opened for this run and reads itself. Nothing goes through a file or an environment
 * variable, and the worker does not inherit the pipe (Node closes a parent's descriptors in its children),
 * so no code under test can name, read or append to the channel; how far that holds is argued in
 * docs/grading.md ("Where the results come from").
 *
 * Lines (the grader stamps each with the time it read it; no time is taken from the run):
 *   {"event":"queued","file":...}                                  a test file starts loading (its import counts)
 *   {"event":"test","file":...,"name":...,"status":...,"message":...} a test finished
 *   {"event":"end","file":...,"errors":[...],"printed":N}           a test file finished (errors: it failed to load;
 *                                                                   printed: characters its code printed, see quiet.setup.ts)
 */
import { writeSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { testName } from "../lib/test-name";
import { clipText, PRINTED_META } from "./bounds";

/** The descriptor the grader reads results from. */
export const RESULT_FD = 3;

/** A message longer than this is cut: the feedback shows far less, and the pipe stays small. */
const MESSAGE_LIMIT = 4000;

export type ResultEvent =
  | { event: "queued"; file: string }
  | { event: "test"; file: string; name: string; status: "passed" | "failed" | "skipped"; message: string }
  | { event: "end"; file: string; errors: string[]; printed: number };

const clip = (text: string) => clipText(text, MESSAGE_LIMIT);

export default class ResultReporter implements Reporter {
  private write(event: ResultEvent): void {
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    // Synchronous, and looped over partial writes: the line is in the pipe before the next test can hang.
    for (let offset = 0; offset < line.length; ) {
      try {
        offset += writeSync(RESULT_FD, line, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      }
    }
  }

  onTestModuleQueued(module: TestModule): void {
    this.write({ event: "queued", file: module.moduleId });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const status = result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped";
    const message = clip((result.errors ?? []).map((e) => e.message ?? String(e)).join("\n"));
    this.write({ event: "test", file: test.module.moduleId, name: testName(test), status, message });
  }

  onTestModuleEnd(module: TestModule): void {
    const errors = module.errors().slice(0, 5);
    const printed = Number((module.meta() as Record<string, unknown>)[PRINTED_META]) || 0;
    this.write({
      event: "end",
      file: module.moduleId,
      errors: errors.map((e) => clip(e.message ?? String(e))),
      printed,
    });
  }
}
