/**
 * Runs the course's tests against a chosen target and returns one result per test, either in a child
 * vitest process (`runTests`: isolated, for checks that run many targets at once) or inside this process
 * (`runTestsInProcess`: quicker to start, for the learner's dashboard). Every script that needs test
 * results (course checks, progress, grading) goes through here.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import type { TestCase, TestModule, Vitest } from "vitest/node";
import { ROOT } from "./target";

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
}

export interface RunOptions {
  /** What `@course` resolves to: "src" (default), "solutions" or a folder. */
  target?: string;
  /** Path substrings, like vitest's command-line filters ("lessons/lesson-03"). */
  filters?: string[];
  /** Where the tests, config and lessons live (the course root by default). */
  root?: string;
  /** Vitest workers for this run. */
  maxWorkers?: number;
  /** Stop the run after this many milliseconds. */
  timeoutMs?: number;
  /** Give each test file fresh modules (vitest's `isolate`, on by default); off is faster. In-process runs only. */
  isolate?: boolean;
}

export interface RunOutcome {
  results: TestResult[];
  /** Vitest's own exit code; failing tests give 1. */
  exitCode: number | null;
  /** What vitest printed, for diagnosing a run that produced no results. */
  output: string;
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
    ...(options.filters ?? []),
  ];
  try {
    const { code, output } = await run(process.execPath, args, {
      cwd: root,
      env: { ...process.env, COURSE_TARGET: options.target ?? "src", NO_COLOR: "1", FORCE_COLOR: "0" },
      timeoutMs: options.timeoutMs,
    });
    let results: TestResult[] = [];
    try {
      results = parseJsonReport(readFileSync(report, "utf8"), root);
    } catch {
      // No report: vitest failed before running tests; the caller sees the output.
    }
    return { results, exitCode: code, output };
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

/** Turns vitest's JSON report (Jest's format) into `TestResult`s. */
export function parseJsonReport(json: string, root: string): TestResult[] {
  const report = JSON.parse(json) as JsonReport;
  return report.testResults.flatMap((file) => {
    const relative = path.relative(root, file.name).split(path.sep).join("/");
    const lesson = /lessons\/(lesson-\d\d)-/.exec(relative)?.[1] ?? "";
    if (file.assertionResults.length === 0 && file.message) {
      // The file could not even be loaded (a syntax error, a failing import): count it as one failure.
      return [
        {
          file: relative,
          lesson,
          name: "(the test file failed to load)",
          status: "failed" as const,
          message: firstLines(file.message),
        },
      ];
    }
    return file.assertionResults.map((test) => ({
      file: relative,
      lesson,
      name: [...test.ancestorTitles, test.title].join(" › "),
      status:
        test.status === "passed"
          ? ("passed" as const)
          : test.status === "failed"
            ? ("failed" as const)
            : ("skipped" as const),
      message: firstLines(test.failureMessages.join("\n")),
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

/** One test module's results as `TestResult`s, in the shape `parseJsonReport` gives. */
function moduleResults(module: TestModule, root: string): TestResult[] {
  const file = path.relative(root, module.moduleId).split(path.sep).join("/");
  const lesson = /lessons\/(lesson-\d\d)-/.exec(file)?.[1] ?? "";
  const tests = [...module.children.allTests()];
  const loadErrors = module.errors();
  if (tests.length === 0 && loadErrors.length > 0) {
    const message = firstLines(loadErrors.map((e) => e.message).join("\n"));
    return [{ file, lesson, name: "(the test file failed to load)", status: "failed", message }];
  }
  return tests.map((test) => {
    const result = test.result();
    const status = result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped";
    const message = firstLines((result.errors ?? []).map((e) => e.message).join("\n"));
    return { file, lesson, name: titlePath(test).join(" › "), status, message };
  });
}

/** The describe blocks and the title of a test, outermost first. */
function titlePath(test: TestCase): string[] {
  const titles = [test.name];
  for (let node = test.parent; node.type === "suite"; node = node.parent) titles.unshift(node.name);
  return titles;
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

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, output });
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
