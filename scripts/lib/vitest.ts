/**
 * Runs the course's tests in a child vitest process against a chosen target and returns one result per
 * test. Every script that needs test results (course checks, progress, grading) goes through here.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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

/** The message without its stack trace. */
function firstLines(message: string): string {
  return message
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
