/**
 * The one end-to-end run of `npm start`: real vitest, in process, on a copy of the course where
 * lessons 01 and 02 were solved with `npm run solve`. The dashboard's formatting and choices are
 * tested on made-up results in progress.test.ts.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rewriteCommand } from "../scripts/learn/rewrite";
import { copyCourse, fakeTerminal, RUNNABLE_COURSE, TOOL_RUN_MS } from "./helpers";

describe("npm start, end to end", () => {
  let course: ReturnType<typeof copyCourse>;
  let stdout = "";
  beforeAll(async () => {
    course = copyCourse(RUNNABLE_COURSE);
    for (const lesson of ["1", "2"]) {
      expect(await rewriteCommand("solve", [lesson, "--yes"], fakeTerminal(), course.root)).toBe(0);
    }
    const tsx = path.join(course.root, "node_modules", "tsx", "dist", "cli.mjs");
    ({ stdout } = await promisify(execFile)(process.execPath, [tsx, "scripts/learn/start.ts"], {
      cwd: course.root,
      env: { ...process.env, COURSE_TARGET: "solutions", FORCE_COLOR: "0" },
    }));
  }, TOOL_RUN_MS);
  afterAll(() => course.remove());

  it("runs the lessons against src/ (not COURSE_TARGET) and counts lessons 01 and 02 as done", () => {
    expect(stdout).toMatch(/^ {2}01 .* (\d+)\/\1 +#+ +done$/m);
    expect(stdout).toMatch(/^ {2}02 .* (\d+)\/\1 +#+ +done$/m);
    expect(stdout).toMatch(/^ {2}03 .* 0\/\d+ +\.+$/m);
  });

  it("says lesson 03 is next, with its README, its command and its first failing test", () => {
    expect(stdout).toMatch(/^Next: lesson 03, /m);
    expect(stdout).toContain("Read  lessons/lesson-03-");
    expect(stdout).toContain("Run   npm run lesson -- 03");
    expect(stdout).toMatch(/First failing test: .+\n {4}lesson-03 is not done yet/);
  });

  it("prints only the dashboard: plain text, nothing from vitest itself", () => {
    expect(stdout.startsWith("Backprop from Scratch: your progress")).toBe(true);
    expect(stdout).not.toContain("\u001b[");
    expect(stdout).not.toMatch(/RUN|Test Files|Duration/);
  });
});
