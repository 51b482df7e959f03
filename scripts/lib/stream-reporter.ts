/**
 * A vitest reporter that writes each result to a file the moment it is known, one JSON object per line.
 * `runTests({ streamResults: true })` adds it, so when a run has to be killed (a submission that loops
 * forever or runs out of memory) the tests that finished before are still known, and so is the test file
 * that was running when it stopped.
 *
 * The file is named by the environment variable COURSE_STREAM_FILE. Lines:
 *   {"event":"start","file":...,"time":...}                       a test file began (time: Date.now())
 *   {"event":"test","file":...,"name":...,"status":...,"message":...}  a test finished
 *   {"event":"end","file":...,"errors":[...]}                      a test file finished (errors: failed to load)
 */
import { appendFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { testName } from "./test-name";

export const STREAM_FILE_ENV = "COURSE_STREAM_FILE";

export type StreamEvent =
  | { event: "start"; file: string; time: number }
  | { event: "test"; file: string; name: string; status: "passed" | "failed" | "skipped"; message: string }
  | { event: "end"; file: string; errors: string[] };

export default class StreamReporter implements Reporter {
  private readonly file = process.env[STREAM_FILE_ENV];

  private write(event: StreamEvent): void {
    // Synchronous on purpose: the line is on disk before the next test can hang the run.
    if (this.file) appendFileSync(this.file, `${JSON.stringify(event)}\n`);
  }

  onTestModuleStart(module: TestModule): void {
    this.write({ event: "start", file: module.moduleId, time: Date.now() });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const status = result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped";
    const message = (result.errors ?? []).map((e) => e.message ?? String(e)).join("\n");
    this.write({ event: "test", file: test.module.moduleId, name: testName(test), status, message });
  }

  onTestModuleEnd(module: TestModule): void {
    this.write({ event: "end", file: module.moduleId, errors: module.errors().map((e) => e.message ?? String(e)) });
  }
}
