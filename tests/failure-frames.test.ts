/**
 * Where a failure points in the learner's code (the guided mode and the dashboard): the innermost frames in src/,
 * whose code each is, and the frames in the lesson's own code marked. End to end on the mistake a learner hit: a
 * bceWithLogitsLoss that takes the log of a sigmoid that rounded to 0 throws inside log's check in src/engine.ts,
 * while the line to fix is the caller in src/loss.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureFrames } from "../scripts/learn/failure-frames";
import { regionAt } from "../scripts/lib/regions";
import { ROOT } from "../scripts/lib/target";
import { runTests, type TestResult } from "../scripts/lib/vitest";
import { copyCourse, RUNNABLE_COURSE, TOOL_RUN_MS } from "./helpers";

const failure = (frames: TestResult["frames"], location?: string): TestResult => ({
  file: "lessons/lesson-11-cross-entropy/cross-entropy.test.ts",
  lesson: "lesson-11",
  name: "bceWithLogitsLoss › x",
  status: "failed",
  message: "RangeError: log: expected a positive number, got 0.",
  ...(location && { location }),
  ...(frames && { frames }),
});

describe("failureFrames", () => {
  it("lists the frames innermost first, says whose code each is and marks the lesson's own", () => {
    const lines = failureFrames(
      failure([
        { file: "src/engine.ts", line: 245, column: 13, fn: "Value.log" },
        { file: "src/loss.ts", line: 51, column: 30, fn: "bceWithLogitsLoss", lesson: "lesson-11" },
        { file: "src/engine.ts", line: 60, column: 5, lesson: "lesson-01" },
      ]),
      "lesson-11",
    );
    expect(lines).toEqual([
      "at src/engine.ts:245:13 Value.log (provided code)",
      "   src/loss.ts:51:30    bceWithLogitsLoss (your lesson-11 code ◀ this lesson)",
      "   src/engine.ts:60:5   (your lesson-01 code)",
    ]);
  });

  it("falls back on the location in the test file, and on nothing", () => {
    expect(failureFrames(failure(undefined, "lessons/x.test.ts:12:3"), "lesson-11")).toEqual([
      "at lessons/x.test.ts:12:3",
    ]);
    expect(failureFrames(failure(undefined), "lesson-11")).toEqual([]);
  });
});

describe("regionAt", () => {
  const text = ["a", "  // BEGIN lesson-02", "  x", "  // END lesson-02", "b", "// BEGIN lesson-03", "y"].join("\n");
  it("names the lesson of a line inside a region, none outside or on a marker, and reads a file with a broken marker", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((line) => regionAt(text, line))).toEqual([
      undefined,
      undefined,
      "lesson-02",
      undefined,
      undefined,
      undefined,
      "lesson-03",
    ]);
  });
});

describe("a failure's frames, from a real run", () => {
  let course: ReturnType<typeof copyCourse>;
  let results: TestResult[];
  beforeAll(async () => {
    course = copyCourse(RUNNABLE_COURSE);
    for (const name of ["engine.ts", "loss.ts"]) {
      writeFileSync(path.join(course.root, "src", name), readFileSync(path.join(ROOT, "solutions", name), "utf8"));
    }
    const loss = path.join(course.root, "src", "loss.ts");
    const right = "  return logit.softplus().sub(logit.mul(label));";
    const text = readFileSync(loss, "utf8");
    expect(text).toContain(right);
    // The mistake: the log of a probability, which rounds to 0 for a large negative logit.
    const wrong = "  return bceLoss(logit.sigmoid(), label);";
    writeFileSync(loss, text.replace(right, wrong));
    ({ results } = await runTests({ root: course.root, target: "src", filters: ["lessons/lesson-11-"] }));
  }, TOOL_RUN_MS);
  afterAll(() => course.remove());

  it("points at the learner's line in src/loss.ts, not only at log's check in src/engine.ts", () => {
    const thrown = results.find((r) => r.status === "failed" && r.message.includes("log: expected a positive number"));
    expect(thrown, results.map((r) => `${r.status} ${r.name}`).join("\n")).toBeDefined();
    const frames = thrown?.frames ?? [];
    expect(frames[0], "the innermost frame: log's own check, which threw").toMatchObject({
      file: "src/engine.ts",
      fn: "Value.log",
    });
    const mine = frames.filter((f) => f.file === "src/loss.ts" && f.lesson === "lesson-11");
    expect(mine.map((f) => f.fn)).toContain("bceWithLogitsLoss");
    const lines = failureFrames(thrown as TestResult, "lesson-11");
    expect(lines.find((l) => l.includes("bceWithLogitsLoss"))).toMatch(
      /src\/loss\.ts:\d+:\d+ +bceWithLogitsLoss \(your lesson-11 code ◀ this lesson\)/,
    );
  });
});
