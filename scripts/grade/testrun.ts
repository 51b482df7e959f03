/**
 * One vitest run of the course's lesson tests against a learner's copy, in the sandbox (sandbox.ts) or,
 * when the instructor chose `--no-sandbox`, as a plain child process. Results come only through the
 * run's result channel (result-reporter.ts writes them to descriptor 3, a pipe this process reads); each
 * is stamped with the time it arrived here. What the run prints is kept only to explain a crash.
 *
 * Time limits, in the run's own time (own-time.ts: the time the machine kept it waiting for a processor does
 * not count): a test file may take `fileLimitMs(file)` from the moment it starts loading (its imports count)
 * to its end; the run as a whole `timeoutMs`. A file over its limit stops the run; the outcome names it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../lib/target";
import { atExit } from "./at-exit";
import { courseClassHooks } from "./class-hooks";
import { OwnClock, processTree } from "./own-time";
import type { ResultEvent } from "./result-reporter";
import { SANDBOX_COURSE, SANDBOX_LEARNER, type Sandbox, type SandboxLimits, sandboxed } from "./sandbox";
import { CLASS_HOOKS_VARIABLE } from "./trust";

export interface RunRequest {
  /** The host folder holding the learner's `src/` (and the course's tsconfig.json beside it). */
  learnerDir: string;
  /** Test files, relative to the course root. */
  files: string[];
  /** Each test file in a test process of its own (slower; nothing carries over between files). */
  isolate: boolean;
  /** The own time each test file may take (own-time.ts), from the moment it starts loading to its end. */
  fileLimitMs: (file: string) => number;
  /** The own time the whole run may take, vitest's start-up included. */
  timeoutMs: number;
  /** Heap limit of the test process, in megabytes; the whole run gets more (see runLimits). */
  memoryMb: number;
}

/** An event of the result channel, with the time it arrived: the run's own time (own-time.ts), in ms. */
export type Received = ResultEvent & { at: number };

export interface RunOutcome {
  events: Received[];
  exitCode: number | null;
  /** The end of what the run printed (64 KB at most). */
  output: string;
  /** The whole run went over `timeoutMs`. */
  timedOut: boolean;
  /** The test file (relative) that went over its limit and stopped the run. */
  stalledFile?: string;
  /** A process of the run went over a memory limit (the heap's, or the run's control group's). */
  outOfMemory: boolean;
  /** The run's wall-clock time. */
  elapsedMs: number;
  /** The run's own time: its wall-clock time, less the time the machine kept it waiting (own-time.ts). */
  ownMs: number;
  peakMemoryBytes?: number;
}

const OUTPUT_LIMIT = 64 * 1024;
/** The result channel carries a few hundred short lines; anything past this is not a genuine run. */
const CHANNEL_LIMIT = 16 * 1024 * 1024;

/** Memory, processes, CPU and file size for a run whose test process has `memoryMb` of heap. */
export function runLimits(memoryMb: number, timeoutMs: number): SandboxLimits {
  return {
    // vitest's own process, esbuild and the test process's code and buffers need about 400 MB beside the heap.
    memoryMb: memoryMb + 512,
    tasks: 256,
    // A backstop: the run's own time on every processor (a process's threads can run on all of them at once).
    cpuSeconds: Math.ceil((timeoutMs / 1000) * os.availableParallelism()) + 10,
    fileMb: 32,
  };
}

/** Runs the tests; never throws for anything the learner's code does. */
export async function runVitest(request: RunRequest, sandbox: Sandbox | undefined): Promise<RunOutcome> {
  const course = sandbox ? SANDBOX_COURSE : ROOT;
  const learner = sandbox ? SANDBOX_LEARNER : request.learnerDir;
  const cache = sandbox ? "/tmp/vite" : path.join(request.learnerDir, ".vite");
  const argv = [
    process.execPath,
    `${course}/node_modules/vitest/vitest.mjs`,
    "run",
    "--root",
    course,
    "--configLoader",
    "runner",
    "--config",
    `${course}/scripts/grade/vitest.grade.config.ts`,
    `--reporter=${course}/scripts/grade/result-reporter.ts`,
    "--maxWorkers=1",
    request.isolate ? "--isolate" : "--no-isolate",
    "--silent=true",
    ...request.files,
  ];
  // The whole environment of the run: nothing of the grader's (tokens, $GITHUB_OUTPUT, paths).
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: sandbox ? "/tmp" : request.learnerDir,
    TMPDIR: sandbox ? "/tmp" : request.learnerDir,
    LANG: "C.UTF-8",
    CI: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    COURSE_TARGET: `${learner}/src`,
    COURSE_GRADE_MEMORY_MB: String(request.memoryMb),
    COURSE_GRADE_CACHE: cache,
    [CLASS_HOOKS_VARIABLE]: JSON.stringify(courseClassHooks()),
  };
  const limits = runLimits(request.memoryMb, request.timeoutMs);
  const launch = sandbox ? sandboxed(sandbox, request.learnerDir, argv, env, limits) : undefined;
  if (!sandbox) mkdirSync(cache, { recursive: true });
  const started = Date.now();
  const child = launch
    ? spawn(launch.command, launch.args, { env: {}, stdio: ["ignore", "pipe", "pipe", "pipe"] })
    : spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe", "pipe"], detached: true });
  // Killed with the grader, however it ends (the sandbox's --die-with-parent also covers a SIGKILL).
  const release = atExit(() => kill(child, !sandbox));
  const processes = () =>
    launch?.group ? launch.group.members() : child.pid !== undefined ? processTree(child.pid) : [];
  const clock = new OwnClock();

  const events: Received[] = [];
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let pending = "";
  let received = 0;
  child.stdio[3]?.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > CHANNEL_LIMIT) return;
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const event = parseEvent(line, course);
      if (event) events.push({ ...event, at: clock.latest });
    }
  });

  let timedOut = false;
  let stalledFile: string | undefined;
  let ownMs = 0;
  const stop = () => kill(child, !sandbox);
  // Every 100 ms: the run's own time against its limits and, without a control group, its memory (Buffers
  // included), watched by the grader itself.
  let overMemory = false;
  const watchMemory = !launch?.group && child.pid !== undefined;
  const watch = setInterval(() => {
    const members = processes();
    ownMs = clock.read(members);
    stalledFile ??= runningTooLong(events, request.fileLimitMs, ownMs);
    if (ownMs > request.timeoutMs) timedOut = true;
    if (watchMemory && treeMemoryBytes(members) > limits.memoryMb * 1024 * 1024) overMemory = true;
    if (stalledFile || timedOut || overMemory) stop();
  }, 100);

  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code));
  });
  clearInterval(watch);
  ownMs = clock.read([]);
  release();
  if (!sandbox) kill(child, true); // workers left behind by a crashed vitest go with it
  const outOfMemory =
    overMemory ||
    (launch?.group?.oomKilled() ?? false) ||
    /heap out of memory|Reached heap limit|Allocation failed/i.test(output);
  const peakMemoryBytes = launch?.group?.peakBytes();
  launch?.group?.remove();
  return {
    events,
    exitCode,
    output,
    timedOut: timedOut && !stalledFile,
    stalledFile,
    outOfMemory,
    elapsedMs: Date.now() - started,
    ownMs,
    peakMemoryBytes,
  };
}

/** The resident memory of `processes`, in bytes (read from /proc). */
function treeMemoryBytes(processes: number[]): number {
  let bytes = 0;
  for (const pid of processes) {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readProc(`/proc/${pid}/status`));
    if (rss) bytes += Number(rss[1]) * 1024;
  }
  return bytes;
}

function readProc(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** One line of the result channel, checked: a lesson test file of the course, and the expected fields. */
function parseEvent(line: string, course: string): ResultEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (typeof e.file !== "string" || !e.file.startsWith(`${course}/lessons/`)) return undefined;
  const file = e.file.slice(course.length + 1);
  const text = (x: unknown) => (typeof x === "string" ? x : "");
  if (e.event === "queued") return { event: "queued", file };
  if (e.event === "test" && typeof e.name === "string") {
    const status = e.status === "passed" ? "passed" : e.status === "failed" ? "failed" : "skipped";
    return { event: "test", file, name: e.name, status, message: text(e.message) };
  }
  if (e.event === "end") {
    const errors = Array.isArray(e.errors) ? e.errors.map(text) : [];
    const printed = typeof e.printed === "number" && e.printed > 0 ? e.printed : 0;
    return { event: "end", file, errors, printed };
  }
  return undefined;
}

/**
 * The file that has been running longer than its limit at `now` (the run's own time), if any. Only the file
 * that started last can be running (test files load and run one after another); an earlier file that has not
 * ended yet is one whose results the test process had not sent when it stopped, so it is never blamed.
 */
export function runningTooLong(events: Received[], limitMs: (file: string) => number, now: number): string | undefined {
  let last = -1;
  for (let i = 0; i < events.length; i++) if (events[i].event === "queued") last = i;
  if (last < 0) return undefined;
  const { file, at } = events[last];
  const ended = events.slice(last).some((e) => e.event === "end" && e.file === file);
  return !ended && now - at > limitMs(file) ? file : undefined;
}

function kill(child: ChildProcess, group: boolean): void {
  if (child.pid === undefined) return;
  try {
    process.kill(group ? -child.pid : child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
