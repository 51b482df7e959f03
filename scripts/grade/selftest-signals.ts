/**
 * The self-test's checks of a grader that is stopped from outside, while a sandboxed run is going:
 * - SIGINT (Ctrl-C) and SIGTERM: the grader removes its scratch copies and control groups, kills its runs
 *   and exits with 130 or 143;
 * - SIGKILL, which no process can answer: no process of the run survives (the sandbox dies with the grader),
 *   its scratch folder and its (empty) control groups stay, and the next grader to start removes them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/target";
import { removeGroup } from "./cgroup";
import { detectSandbox } from "./sandbox";

/** What a grader (`pid`) left: processes in its runs' control groups, its groups, its scratch folders in `tmp`. */
export function leftovers(pid: number, tmp?: string): { processes: number[]; groups: string[]; scratch: string[] } {
  const mine = (name: string) => name === `course-grade-${pid}` || name.startsWith(`course-grade-${pid}-`);
  const processes: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let groups = "";
    try {
      groups = readFileSync(`/proc/${entry}/cgroup`, "utf8");
    } catch {
      continue;
    }
    if (groups.split("\n").some((line) => line.split("/").some(mine))) processes.push(Number(entry));
  }
  const groups: string[] = [];
  for (const parent of groupParents()) {
    for (const name of safeList(parent)) if (mine(name)) groups.push(path.join(parent, name));
  }
  const scratch = tmp ? safeList(tmp).filter(mine) : [];
  return { processes, groups, scratch };
}

/** Where graders make their control groups: cgroup v1's memory and pids folders, or v2's folder above the grader's own. */
function groupParents(): string[] {
  const cgroups = detectSandbox().sandbox?.cgroups;
  if (!cgroups) return [];
  return cgroups.version === 1 ? cgroups.parents : cgroups.parents.map((p) => path.dirname(p));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Stopped {
  pid: number;
  code: number | null;
  /** The grader had a sandboxed run going when it was stopped. */
  running: boolean;
}

/**
 * Starts `npm run grade` on `submission` with its temporary folder `tmp`, waits until a sandboxed run of it has
 * been going for `afterMs`, sends it `signal` and waits for it to end.
 */
async function stopGrader(submission: string, tmp: string, signal: NodeJS.Signals, afterMs: number): Promise<Stopped> {
  const grader: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ROOT, "scripts", "grade", "grade.ts"),
      submission,
      "--out",
      path.join(tmp, `out-${signal}`),
      "--timeout",
      "60",
    ],
    { cwd: ROOT, stdio: "ignore", env: { ...process.env, TMPDIR: tmp } },
  );
  const pid = grader.pid as number;
  const exited = new Promise<number | null>((resolve) => grader.once("exit", (code) => resolve(code)));
  let runningSince: number | undefined;
  for (const started = Date.now(); Date.now() - started < 60_000; await sleep(100)) {
    if (leftovers(pid).processes.length === 0) continue;
    runningSince ??= Date.now();
    if (Date.now() - runningSince >= afterMs) break;
  }
  grader.kill(signal);
  const code = await Promise.race([exited, sleep(20_000).then(() => "hung" as const)]);
  if (code === "hung") {
    grader.kill("SIGKILL");
    return { pid, code: null, running: runningSince !== undefined };
  }
  return { pid, code, running: runningSince !== undefined };
}

/** Waits up to 10 s for the processes of `pid`'s runs to be gone; kills and reports those that are not. */
async function processesLeft(pid: number, what: string): Promise<string[]> {
  let left = leftovers(pid).processes;
  for (let i = 0; i < 40 && left.length > 0; i++) {
    await sleep(250);
    left = leftovers(pid).processes;
  }
  for (const p of left) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  return left.map((p) => `${what}: process ${p} of its run is still alive`);
}

/** SIGINT or SIGTERM: the grader cleans up after itself and exits with 128 + the signal's number. */
async function interruptedGraderCleansUp(
  submission: string,
  tmp: string,
  signal: "SIGINT" | "SIGTERM",
): Promise<string[]> {
  const what = `${signal} test`;
  const stopped = await stopGrader(submission, tmp, signal, 500);
  if (!stopped.running) return [`${what}: the grader never started a sandboxed run`];
  const problems = await processesLeft(stopped.pid, what);
  const expected = signal === "SIGINT" ? 130 : 143;
  if (stopped.code !== expected) problems.push(`${what}: the grader exited with ${stopped.code}, expected ${expected}`);
  const left = leftovers(stopped.pid, tmp);
  problems.push(...left.scratch.map((s) => `${what}: its scratch folder ${s} is left behind`));
  problems.push(...left.groups.map((g) => `${what}: its control group ${g} is left behind`));
  for (const group of left.groups) removeGroup(group);
  return problems;
}

/**
 * SIGKILL in the middle of a submission's run: nothing of the run survives; the scratch folder and the
 * control groups stay (as docs/grading.md says), and the next graders (interrupted with SIGINT and SIGTERM,
 * which they survive long enough to start a run) remove them when they start.
 */
export async function stoppedGraderTests(submission: string, tmp: string): Promise<string[]> {
  const killed = await stopGrader(submission, tmp, "SIGKILL", 6000);
  if (!killed.running) return ["SIGKILL test: the grader never started a sandboxed run"];
  const problems = await processesLeft(killed.pid, "SIGKILL test");
  const kept = leftovers(killed.pid, tmp);
  if (kept.scratch.length === 0) problems.push("SIGKILL test: expected the killed grader's scratch folder to stay");
  if (groupParents().length > 0 && kept.groups.length === 0)
    problems.push("SIGKILL test: expected the killed grader's control groups to stay");
  const interrupted = await Promise.all(
    (["SIGINT", "SIGTERM"] as const).map((signal) => interruptedGraderCleansUp(submission, tmp, signal)),
  );
  problems.push(...interrupted.flat());
  const reaped = leftovers(killed.pid, tmp);
  problems.push(...reaped.scratch.map((s) => `SIGKILL test: the next run did not remove ${s}`));
  problems.push(...reaped.groups.map((g) => `SIGKILL test: the next run did not remove ${g}`));
  for (const group of reaped.groups) if (existsSync(group)) removeGroup(group);
  return problems;
}
