/**
 * Runs the course's tests against a chosen target and returns one result per test, either in a child
 * vitest process (`runTests`: isolated, for checks that run many targets at once) or inside this process
 * (`runTestsInProcess`: quicker to start, for the learner's dashboard). Every script that needs test
 * results (course checks, progress, grading) goes through here.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import type { TestModule, Vitest } from "vitest/node";
import { regionAt } from "./regions";
import { STREAM_FILE_ENV, type StreamEvent } from "./stream-reporter";
import { ROOT } from "./target";
import { testName } from "./test-name";

export interface TestResult {
  /** The test file, relative to the course root. */
  file: string;
  /** "lesson-03", or "" for the course's own tests. */
  lesson: string;
  /** The describe blocks and the test's title, joined with " › ". */
  name: string;
  status: "passed" | "failed" | "skipped";
  /** The first line block of the failure message, or "". */
  message: string;
  /**
   * Where a failure points, relative to the root, like "src/engine.ts:35:11": the first stack frame in the code
   * under test, else in the test file. Filled in only when the run was given that code's folder.
   */
  location?: string;
  /** The failure's innermost stack frames in the code under test, innermost first (when `location` is known). */
  frames?: CodeFrame[];
}

/** A stack frame in the code under test. */
export interface CodeFrame {
  /** Relative to the course root, like "src/loss.ts". */
  file: string;
  line: number;
  column: number;
  /** The function, like "bceWithLogitsLoss" or "Value.log", when the stack names one. */
  fn?: string;
  /** The lesson whose exercise region holds the line, like "lesson-11"; none for code outside the regions. */
  lesson?: string;
}

/** How many frames of the code under test a result keeps: enough to see who called the line that threw. */
const CODE_FRAMES = 4;

export interface RunOptions {
  /** What `@course` resolves to: "src" (default), "solutions" or a folder. */
  target?: string;
  /** Path substrings, like vitest's command-line filters ("lessons/lesson-03"). */
  filters?: string[];
  /** Where the tests, config and lessons live (the course root by default). */
  root?: string;
  /** Vitest workers for this run. */
  maxWorkers?: number;
  /** Stop the run after this many milliseconds (the whole process group is killed). */
  timeoutMs?: number;
  /** Caps the V8 heap of vitest and its workers (`--max-old-space-size`), in megabytes. */
  memoryMb?: number;
  /** Keep at most this many characters of what vitest prints (the end of it). */
  maxOutputChars?: number;
  /** `false` runs the test files without fresh modules for each (vitest's `isolate`, on by default): faster, less isolated. */
  isolate?: boolean;
  /** Drop what the tests print (vitest's `--silent`). */
  silent?: boolean;
  /** Also record results as they come (scripts/lib/stream-reporter.ts), so a killed run keeps them. */
  streamResults?: boolean;
  /**
   * With `streamResults`: stop the run when one test file has been running this long (its own time,
   * not counting vitest's start-up). The outcome names it in `stalledFile`.
   */
  fileTimeoutMs?: number;
}

export interface RunOutcome {
  results: TestResult[];
  /** Vitest's own exit code; failing tests give 1. */
  exitCode: number | null;
  /** What vitest printed, for diagnosing a run that produced no results. */
  output: string;
  /** The run was stopped at `timeoutMs`. */
  timedOut?: boolean;
  /** With `streamResults`: every event recorded, even when the run was killed before its report. */
  stream?: StreamEvent[];
  /** With `fileTimeoutMs`: the test file (absolute path) that ran too long and stopped the run. */
  stalledFile?: string;
}

/** Runs vitest once and collects its JSON report. */
export async function runTests(options: RunOptions = {}): Promise<RunOutcome> {
  const root = options.root ?? ROOT;
  const scratch = mkdtempSync(path.join(os.tmpdir(), "course-vitest-"));
  const report = path.join(scratch, "report.json");
  const args = [
    path.join(root, "node_modules", "vitest", "vitest.mjs"),
    "run",
    "--reporter=json",
    `--outputFile=${report}`,
    `--maxWorkers=${options.maxWorkers ?? 2}`,
    ...(options.isolate === false ? ["--no-isolate"] : []),
    ...(options.silent ? ["--silent"] : []),
    ...(options.streamResults ? [`--reporter=${path.join(ROOT, "scripts", "lib", "stream-reporter.ts")}`] : []),
    ...(options.filters ?? []),
  ];
  const stream = path.join(scratch, "stream.jsonl");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COURSE_TARGET: options.target ?? "src",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
  if (options.memoryMb) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --max-old-space-size=${options.memoryMb}`.trim();
  }
  if (options.streamResults) env[STREAM_FILE_ENV] = stream;
  let stalledFile: string | undefined;
  const fileTimeoutMs = options.fileTimeoutMs;
  const stalled =
    options.streamResults && fileTimeoutMs
      ? () => {
          stalledFile = runningTooLong(readStream(stream), fileTimeoutMs);
          return stalledFile !== undefined;
        }
      : undefined;
  try {
    const { code, output, timedOut } = await run(process.execPath, args, {
      cwd: root,
      env,
      timeoutMs: options.timeoutMs ?? (stalled ? 10 * 60_000 : undefined),
      maxOutputChars: options.maxOutputChars,
      stalled,
    });
    let results: TestResult[] = [];
    try {
      results = parseJsonReport(readFileSync(report, "utf8"), root, path.resolve(root, options.target ?? "src"));
    } catch {
      // No report: vitest failed before running tests; the caller sees the output.
    }
    const outcome: RunOutcome = { results, exitCode: code, output, timedOut: timedOut || stalledFile !== undefined };
    if (options.streamResults) outcome.stream = readStream(stream);
    if (stalledFile) outcome.stalledFile = stalledFile;
    return outcome;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface JsonReport {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[];
  }[];
}

/**
 * Turns vitest's JSON report (Jest's format) into `TestResult`s; with `codeDir` (the folder of the code under test),
 * each failure also says where it points.
 */
export function parseJsonReport(json: string, root: string, codeDir?: string): TestResult[] {
  const report = JSON.parse(json) as JsonReport;
  return report.testResults.flatMap((file) => {
    const where = testFile(root, file.name);
    if (file.assertionResults.length === 0 && file.message) return [loadFailure(where, file.message)];
    return file.assertionResults.map((test) => ({
      ...where,
      name: [...test.ancestorTitles, test.title].join(" › "),
      status:
        test.status === "passed"
          ? ("passed" as const)
          : test.status === "failed"
            ? ("failed" as const)
            : ("skipped" as const),
      message: firstLines(test.failureMessages.join("\n")),
      ...(codeDir && test.failureMessages[0]
        ? pointsAt(stackFrames(test.failureMessages[0]), root, codeDir, file.name)
        : {}),
    }));
  });
}

/**
 * Runs vitest inside this process through its Node API, with all of vitest's own output silenced.
 * The same options and results as `runTests`; `output` holds the collection errors, if any.
 */
export async function runTestsInProcess(options: RunOptions = {}): Promise<RunOutcome> {
  const root = options.root ?? ROOT;
  // vitest.config.ts reads COURSE_TARGET when vitest loads it: set it for this run only.
  const saved = { target: process.env.COURSE_TARGET, warning: process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING };
  process.env.COURSE_TARGET = options.target ?? "src";
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = "true";
  const savedExitCode = process.exitCode;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const { createVitest } = await import("vitest/node");
  let vitest: Vitest | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    vitest = await createVitest(
      "test",
      {
        root,
        watch: false,
        reporters: [],
        silent: true,
        maxWorkers: options.maxWorkers ?? 2,
        isolate: options.isolate ?? true,
      },
      {},
      { stdout: discard, stderr: discard },
    );
    const running = vitest;
    if (options.timeoutMs) {
      timer = setTimeout(() => void running.cancelCurrentRun("keyboard-input"), options.timeoutMs);
    }
    await vitest.start(options.filters ?? []);
    const modules = vitest.state.getTestModules();
    const results = modules.flatMap((m) => moduleResults(m, root));
    const output = modules.flatMap((m) => m.errors().map((e) => `${m.relativeModuleId}: ${e.message}`)).join("\n");
    return { results, exitCode: results.some((r) => r.status === "failed") ? 1 : 0, output };
  } finally {
    clearTimeout(timer);
    await vitest?.close();
    restoreEnv("COURSE_TARGET", saved.target);
    restoreEnv("VITE_CONFIG_NATIVE_IGNORE_WARNING", saved.warning);
    // Failing tests are what a learner expects to see, not an error of the calling script.
    process.exitCode = savedExitCode;
  }
}

/**
 * One test module's results as `TestResult`s, in the shape `parseJsonReport` gives; with `codeDir` (the folder
 * of the code under test), each failure also says where it points.
 */
export function moduleResults(module: TestModule, root: string, codeDir?: string): TestResult[] {
  const where = testFile(root, module.moduleId);
  const tests = [...module.children.allTests()];
  const loadErrors = module.errors();
  if (tests.length === 0 && loadErrors.length > 0) {
    return [loadFailure(where, loadErrors.map((e) => e.message).join("\n"))];
  }
  return tests.map((test) => {
    const result = test.result();
    const status = result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped";
    const message = firstLines((result.errors ?? []).map((e) => e.message).join("\n"));
    const error = result.errors?.[0];
    const points = codeDir && error ? pointsAt(error.stacks ?? [], root, codeDir, module.moduleId) : {};
    return { ...where, name: testName(test), status, message, ...points };
  });
}

/** A frame of a stack trace, as vitest parses it (mapped back to the TypeScript). */
interface StackFrame {
  file: string;
  line: number;
  column: number;
  method?: string;
}

/**
 * Where a failure with this stack points: its innermost frames in `codeDir` (each with the lesson whose region
 * holds it) and the first of them as the location, else the frame in the test file.
 */
function pointsAt(stack: StackFrame[], root: string, codeDir: string, testFile: string): Partial<TestResult> {
  const inCode = (file: string) => {
    const relative = path.relative(codeDir, file);
    return !relative.startsWith("..") && !path.isAbsolute(relative);
  };
  const texts = new Map<string, string>();
  const textOf = (file: string) => {
    if (!texts.has(file)) texts.set(file, existsSync(file) ? readFileSync(file, "utf8") : "");
    return texts.get(file) ?? "";
  };
  const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");
  const frames: CodeFrame[] = stack
    .filter((f) => inCode(f.file))
    .slice(0, CODE_FRAMES)
    .map((f) => {
      const lesson = regionAt(textOf(f.file), f.line);
      return {
        file: relative(f.file),
        line: f.line,
        column: f.column,
        ...(f.method && { fn: f.method }),
        ...(lesson && { lesson }),
      };
    });
  const [first] = frames;
  if (first) return { location: `${first.file}:${first.line}:${first.column}`, frames };
  const inTest = stack.find((f) => f.file === testFile);
  return inTest ? { location: `${relative(inTest.file)}:${inTest.line}:${inTest.column}` } : {};
}

/** The frames of a stack trace written as text ("    at fn (file:line:column)"), files as paths. */
function stackFrames(text: string): StackFrame[] {
  return [...text.matchAll(/^\s+at (?:(.+?) \()?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/gm)].map(
    ([, method, file, line, column]) => ({
      file: file.startsWith("file://") ? fileURLToPath(file) : file,
      line: Number(line),
      column: Number(column),
      ...(method && { method: method.replace(/^new /, "") }),
    }),
  );
}

/** A test file's path relative to the course root, and the lesson it belongs to ("" for the course's own). */
function testFile(root: string, absolute: string): { file: string; lesson: string } {
  const file = path.relative(root, absolute).split(path.sep).join("/");
  return { file, lesson: /lessons\/(lesson-\d\d)-/.exec(file)?.[1] ?? "" };
}

/** A test file that could not even be loaded (a syntax error, a failing import) counts as one failure. */
function loadFailure(where: { file: string; lesson: string }, message: string): TestResult {
  return { ...where, name: "(the test file failed to load)", status: "failed", message: firstLines(message) };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** The message without its stack trace and without colour codes (some errors come coloured). */
function firstLines(message: string): string {
  return stripVTControlCharacters(message)
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join("\n")
    .trim();
}

/** The events a stream reporter wrote; a line cut short by a kill is dropped. */
function readStream(file: string): StreamEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as StreamEvent] : [];
      } catch {
        return [];
      }
    });
}

/** The test file that started more than `limitMs` ago and has not ended, if any. */
function runningTooLong(events: StreamEvent[], limitMs: number): string | undefined {
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.event === "start") open.set(e.file, e.time);
    if (e.event === "end") open.delete(e.file);
  }
  const now = Date.now();
  for (const [file, time] of open) if (now - time > limitMs) return file;
  return undefined;
}

// Runs with a time limit get their own process group, so a kill also reaches vitest's workers
// (a worker stuck in an infinite loop would otherwise outlive the run). They die with this process too.
const groups = new Set<number>();
const killGroup = (pid: number) => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
};
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => {
    for (const pid of groups) killGroup(pid);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => process.exit(130));
  }
}

function run(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs?: number;
    maxOutputChars?: number;
    /** Polled while the child runs; returning true stops it. */
    stalled?: () => boolean;
  },
) {
  return new Promise<{ code: number | null; output: string; timedOut: boolean }>((resolve, reject) => {
    const limited = options.timeoutMs !== undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: limited,
    });
    const pid = child.pid;
    if (limited && pid !== undefined) {
      hookExit();
      groups.add(pid);
    }
    let output = "";
    const cap = options.maxOutputChars ?? Number.POSITIVE_INFINITY;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > cap) output = output.slice(-cap);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let timedOut = false;
    const timer = limited
      ? setTimeout(() => {
          timedOut = true;
          if (pid !== undefined) killGroup(pid);
        }, options.timeoutMs)
      : undefined;
    const stalled = options.stalled;
    const watch = stalled
      ? setInterval(() => {
          if (stalled() && pid !== undefined) killGroup(pid);
        }, 200)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      if (watch) clearInterval(watch);
      if (pid !== undefined) {
        // Workers left behind by a crashed vitest go with it.
        if (limited) killGroup(pid);
        groups.delete(pid);
      }
      resolve({ code, output, timedOut });
    });
  });
}

/** Runs `tasks` with at most `limit` of them at once, keeping the order of the results. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit = os.availableParallelism()): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
