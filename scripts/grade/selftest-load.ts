/**
 * The self-test's check that a busy machine costs an honest submission nothing: `npm run grade -- --bonus`
 * grades the reference pinned to one processor beside two processes that loop forever on it (so the grader,
 * its runs and the two share it, and every run gets a third of it or less), with a per-file limit of 2 s; the
 * reference must still score every lesson's points. The time limits count a run's own time (own-time.ts); in
 * wall-clock time, a file that takes 1 s alone would go over 2 s there.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { everyLesson, readManifest } from "../lib/manifest";
import { ROOT } from "../lib/target";
import { atExit } from "./at-exit";
import { parseCsv } from "./wellformed";

const TASKSET = "/usr/bin/taskset";

const onProcessor0 = (args: string[]): ChildProcess =>
  spawn(TASKSET, ["-c", "0", ...args], { cwd: ROOT, stdio: "ignore" });

/** Grades `reference` (a copy of the reference solution) on a busy processor; says what was short, and how long it took. */
export async function busyMachineTest(
  reference: string,
  tmp: string,
): Promise<{ problems: string[]; summary: string }> {
  if (!existsSync(TASKSET)) return { problems: [], summary: `busy machine: not checked (${TASKSET} is missing)` };
  // Each loops for ten minutes at most, and is killed when the check ends, however the self-test ends.
  const busyLoop = "const end = Date.now() + 600_000; while (Date.now() < end);";
  const hogs = [0, 1].map(() => onProcessor0([process.execPath, "-e", busyLoop]));
  const release = atExit(() => {
    for (const hog of hogs) hog.kill("SIGKILL");
  });
  const out = path.join(tmp, "busy-machine");
  const started = Date.now();
  let code: number | null;
  try {
    const grader = onProcessor0([
      process.execPath,
      "--import",
      "tsx",
      path.join(ROOT, "scripts", "grade", "grade.ts"),
      reference,
      "--bonus",
      "--timeout",
      "2",
      "--out",
      out,
    ]);
    code = await new Promise<number | null>((resolve) => grader.once("exit", resolve));
  } finally {
    for (const hog of hogs) hog.kill("SIGKILL");
    release();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0 || !existsSync(path.join(out, "gradebook.csv"))) {
    return {
      problems: [`busy machine: the grader exited with ${code}`],
      summary: `busy machine: failed in ${seconds} s`,
    };
  }
  const [header, row] = parseCsv(readFileSync(path.join(out, "gradebook.csv"), "utf8"));
  const problems = everyLesson(readManifest())
    .map((lesson) => ({ lesson, got: Number(row[header.indexOf(lesson.id)]) }))
    .filter(({ lesson, got }) => got !== lesson.points)
    .map(({ lesson, got }) => `busy machine: the reference scored ${got} of ${lesson.points} in ${lesson.id}`);
  return {
    problems,
    summary: `busy machine: the reference graded with --bonus and 2 s per file on one processor beside two loops, ${row[header.indexOf("total")]}/100 + ${row[header.indexOf("bonus")]} bonus, in ${seconds} s`,
  };
}
