/**
 * The guided mode in a real terminal: tmux runs a shell on a pristine copy of the course, the test types
 * `npm start` and keys into it (`send-keys`) and reads the screen (`capture-pane`), polling with generous
 * limits rather than sleeping, so that a loaded machine only makes it slower. Skipped without tmux
 * (CI installs it). The decisions and the drawing are tested in guided-state.test.ts and guided-screen.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planLesson } from "../scripts/learn/rewrite";
import { findLesson, listLessons } from "../scripts/lib/lessons";
import { generateStarter, writeCourseFiles } from "../scripts/lib/starter";
import { copyCourse, RUNNABLE_COURSE } from "./helpers";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const title = hasTmux
  ? "npm start in a terminal (tmux)"
  : "npm start in a terminal (tmux) [skipped: tmux is not installed; apt-get install tmux]";

describe.skipIf(!hasTmux)(title, () => {
  // A server of our own (its socket in a folder removed afterwards), without the user's configuration.
  const socketDir = mkdtempSync(path.join(os.tmpdir(), "course-tmux-"));
  const socket = path.join(socketDir, "socket");
  let course: ReturnType<typeof copyCourse>;
  const tmux = (...args: string[]) =>
    execFileSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], {
      encoding: "utf8",
      // Not nested in the tmux this test may run in. COURSE_TARGET=solutions from `npm test` stays in the
      // environment on purpose: the guided mode must check src/ all the same.
      env: { ...process.env, TMUX: "" },
    });
  const screen = () => tmux("capture-pane", "-p", "-t", "guided");

  async function waitFor(what: string, seen: (text: string) => boolean, limitMs = 45_000): Promise<string> {
    const end = Date.now() + limitMs;
    let text = screen();
    while (!seen(text)) {
      if (Date.now() > end) throw new Error(`No ${what} after ${limitMs / 1000} s. The screen:\n${text}`);
      await sleep(200);
      text = screen();
    }
    return text;
  }

  beforeAll(() => {
    course = copyCourse(RUNNABLE_COURSE);
    // The pristine starter, whatever the repository's src/ (the learner's workspace) holds.
    writeCourseFiles(path.join(course.root, "src"), generateStarter());
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "guided", "-c", course.root, "sh");
  });
  afterAll(() => {
    spawnSync("tmux", ["-S", socket, "kill-server"]);
    rmSync(socketDir, { recursive: true, force: true });
    course?.remove();
  });

  it("starts on lesson 01, moves to lesson 02 once it is saved solved, shows a hint, and quits to the shell", async () => {
    tmux("send-keys", "-t", "guided", "NO_COLOR=1 npm start --silent; echo guided-exit-$?", "Enter");
    const first = await waitFor("lesson 01 screen", (t) => /Lesson 01 — .* 0\/\d+ tests pass/.test(t));
    expect(first).toContain("Lesson 01 — A Value and its operations");
    expect(first).toContain("[-01]");
    expect(first).toMatch(/at src\/engine\.ts:\d+:\d+/);
    expect(first).toContain("q quit");

    // What an editor does on save: the whole file written in place, here with lesson 01's regions solved.
    const lessons = listLessons(course.root);
    const [plan] = planLesson("solve", findLesson("1", lessons), lessons, course.root);
    writeFileSync(path.join(course.root, "src", plan.file), plan.after);
    const second = await waitFor("move to lesson 02", (t) => /Lesson 02 — .*tests pass/.test(t));
    expect(second).toContain("Lesson 01 done: you wrote Value's constructor, add, sub, mul");
    expect(second).toContain("+01 [-02]");

    tmux("send-keys", "-t", "guided", "h");
    expect(await waitFor("hint", (t) => t.includes("Hint 1 of "))).toContain("Lesson 02 — ");
    const hints = JSON.parse(readFileSync(path.join(course.root, ".course", "hints.json"), "utf8"));
    expect(hints, "recorded as npm run hint records it, for the part of the first failing test").toEqual({
      "lesson-02": { tanh: 1 },
    });

    tmux("send-keys", "-t", "guided", "q");
    const shell = await waitFor("shell", (t) => t.includes("guided-exit-0"), 20_000);
    expect(shell).not.toContain("q quit");
    expect(shell).toContain("npm start takes you back to the guided mode");
  }, 150_000);
});
