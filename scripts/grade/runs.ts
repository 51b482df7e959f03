/**
 * How a submission's test files are run so that each gets a fair result, within the submission's time budget
 * (times are the runs' own time: own-time.ts):
 *
 * 1. All files in one test process (fast: modules load once). A file that ends there with every result
 *    and no error is done. A file that goes over its time limit stops the run: it is the one that was
 *    running (files load and run one after another), so it gets its reason, and the files after it run
 *    again the same way.
 * 2. Every other file (it failed to load, crashed, lost results when the test process died, or never
 *    started) runs again, on its own: one run in which each file gets a fresh test process, so nothing one
 *    file did can sink another. A file that stops that run (over its time limit, out of memory, a crash)
 *    gets its reason and the run goes on with the files after it.
 * A run in which no file even started is not retried file by file.
 *
 * `planFiles` is the bookkeeping of one run's outcome, a pure function (tests/grading.test.ts).
 */
import { ROOT } from "../lib/target";
import { SANDBOX_COURSE, SANDBOX_LEARNER, type Sandbox } from "./sandbox";
import { type Observed, testKey } from "./score";
import { type Received, type RunOutcome, runVitest } from "./testrun";

/** Results of one test file, and why its tests did not all run or load (for the feedback). */
export interface FileRun {
  tests: Map<string, Observed>;
  reason?: string;
  /** Characters the file's code printed (console.log and the like), when the file ran to its end. */
  printed?: number;
}

export interface RunContext {
  learnerDir: string;
  /** The own time each test file may take. */
  fileLimitMs: (file: string) => number;
  memoryMb: number;
  sandbox: Sandbox | undefined;
  budget: Budget;
}

/** A submission's time budget, in its runs' own time (own-time.ts): all of its runs draw on it. */
export class Budget {
  spentMs = 0;

  constructor(readonly totalMs: number) {}

  get leftMs(): number {
    return this.totalMs - this.spentMs;
  }
}

/** Vitest's start-up is not a file's time, but a run that cannot even start is stopped. */
const STARTUP_ALLOWANCE_MS = 60_000;

/** The message the grader's refusal stub throws (grader.ts), recognised here to explain the failed load. */
export const REFUSED = "was not run: the grader's safety check refused it";

/** Runs the test files (keys of `expected`, each file's test keys) and returns one FileRun per file. */
export async function runSafely(
  expected: Map<string, Set<string>>,
  context: RunContext,
): Promise<Map<string, FileRun>> {
  const done = new Map<string, FileRun>();
  let remaining = [...expected.keys()];
  let shared = true;
  while (remaining.length > 0) {
    const left = context.budget.leftMs;
    if (left <= 0) {
      for (const file of remaining) done.set(file, { tests: new Map(), reason: budgetReason(context.budget) });
      break;
    }
    const outcome = await runVitest(
      {
        learnerDir: context.learnerDir,
        files: remaining,
        isolate: !shared,
        fileLimitMs: context.fileLimitMs,
        timeoutMs: Math.min(
          left,
          STARTUP_ALLOWANCE_MS + remaining.reduce((sum, file) => sum + context.fileLimitMs(file), 0),
        ),
        memoryMb: context.memoryMb,
      },
      context.sandbox,
    );
    context.budget.spentMs += outcome.ownMs;
    const plan = planFiles(remaining, expected, outcome, shared, context);
    for (const [file, run] of plan.done) done.set(file, run);
    remaining = plan.again;
    // Only a stall names its culprit for sure; after any other stop the rest run each in a fresh process.
    shared &&= outcome.stalledFile !== undefined && plan.done.has(outcome.stalledFile);
  }
  return done;
}

/**
 * What one run settled: the files it finished for good, and those to run again on their own.
 * `shared` says whether the files shared one test process (the first, fast run).
 */
export function planFiles(
  files: string[],
  expected: Map<string, Set<string>>,
  outcome: RunOutcome,
  shared: boolean,
  context: Pick<RunContext, "learnerDir" | "fileLimitMs" | "memoryMb" | "budget">,
): { done: Map<string, FileRun>; again: string[] } {
  const done = new Map<string, FileRun>();
  const events = outcome.events;
  const started = events.filter((e) => e.event === "queued").map((e) => e.file);
  for (const file of files) {
    const end = events.find((e): e is Received & { event: "end" } => e.event === "end" && e.file === file);
    if (!end) continue;
    const tests = resultsOf(events, file, context.learnerDir);
    const missing = [...(expected.get(file) ?? [])].filter((key) => !tests.has(key)).length;
    // A module the gate refused fails the same way anywhere: no need to load it again on its own.
    const refused = end.errors.length > 0 && end.errors.every((e) => e.includes(REFUSED));
    const printed = end.printed;
    if (end.errors.length === 0 && missing === 0) done.set(file, { tests, printed });
    else if (refused) done.set(file, { tests, printed, reason: loadReason(end.errors, context.learnerDir) });
    else if (shared)
      continue; // failed to load or lost results next to other files: judged on its own next
    else if (end.errors.length > 0) {
      const crashed = end.errors.some((e) => /worker exited|terminated|ERR_IPC|channel closed/i.test(e));
      done.set(file, {
        tests,
        printed,
        reason:
          crashed && outcome.outOfMemory
            ? memoryReason(context.memoryMb)
            : crashed
              ? crashReason(outcome, context)
              : loadReason(end.errors, context.learnerDir),
      });
    } else done.set(file, { tests, printed, reason: `${missing} of this lesson's tests reported no result.` });
  }
  // The file that was running when the run stopped: the last one to start (files run one after another).
  // In the shared run, only a stall is laid at its door; a crash there may come from any file before it.
  const last = started.at(-1);
  const stopped = last !== undefined && !done.has(last) && !events.some((e) => e.event === "end" && e.file === last);
  if (stopped && last && (!shared || outcome.stalledFile === last)) {
    const reason =
      outcome.stalledFile === last
        ? stallReason(context.fileLimitMs(last), resultsOf(events, last, context.learnerDir).size === 0)
        : outcome.outOfMemory
          ? memoryReason(context.memoryMb)
          : crashReason(outcome, context);
    done.set(last, { tests: resultsOf(events, last, context.learnerDir), reason });
  }
  let again = files.filter((f) => !done.has(f));
  if (started.length === 0) {
    // Nothing started at all: running the files one by one would fail the same way, once per file.
    for (const file of again) done.set(file, { tests: new Map(), reason: crashReason(outcome, context) });
    again = [];
  }
  return { done, again };
}

/** The tests of `file` that reported in a run. */
function resultsOf(events: Received[], file: string, learnerDir: string): Map<string, Observed> {
  const tests = new Map<string, Observed>();
  for (const e of events) {
    if (e.event !== "test" || e.file !== file) continue;
    tests.set(
      testKey(file, e.name),
      e.status === "skipped"
        ? { status: "failed", message: "This test was skipped, so it earns nothing." }
        : { status: e.status, message: forLearner(e.message, learnerDir) },
    );
  }
  return tests;
}

/** Makes a message about the grader's copy read like one about the learner's own `src/`, without host paths. */
export function forLearner(message: string, learnerDir: string): string {
  return message
    .replace(/file:\/\//g, "")
    .split(`${learnerDir}/src/`)
    .join("src/")
    .split(`${SANDBOX_LEARNER}/src/`)
    .join("src/")
    .split(`${ROOT}/`)
    .join("")
    .split(`${SANDBOX_COURSE}/`)
    .join("")
    .split(learnerDir)
    .join("<copy>")
    .trim();
}

function firstLines(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !/^\s+at /.test(l));
  return lines.slice(0, 3).join(" ").slice(0, 400);
}

export function loadReason(errors: string[], learnerDir: string): string {
  const text = forLearner(errors.join("\n"), learnerDir);
  const refused = text.split("\n").find((line) => line.includes(REFUSED));
  if (refused) return `The tests could not load the code: ${refused.trim()}`;
  if (/process\.exit/.test(text)) {
    return `The code called process.exit() while the tests ran, so they could not finish: ${firstLines(text)} Remove the process.exit call from src/.`;
  }
  if (/Transform failed|SyntaxError|Unexpected token|Expected/.test(text)) {
    return `The tests could not load the code: it has a syntax error. ${firstLines(text)}`;
  }
  return `The tests could not load the code (it threw while being imported): ${firstLines(text)}`;
}

function stallReason(timeoutMs: number, nothingReported: boolean): string {
  return `Stopped after ${timeoutMs / 1000} s without finishing${
    nothingReported ? " (it had not even finished loading: a wait or a loop when the code is imported?)" : ""
  }: an infinite loop, or code far too slow? Tests that finished before the stop keep their result; the others get no credit.`;
}

function memoryReason(memoryMb: number): string {
  return `Ran out of memory (the limit is ${memoryMb} MB of JavaScript heap, plus a little for arrays and buffers outside it): something allocates without bound, like an array that grows forever or a graph walk that never ends.`;
}

function crashReason(outcome: RunOutcome, context: Pick<RunContext, "learnerDir" | "budget">): string {
  if (outcome.timedOut) return budgetReason(context.budget);
  return `The test process stopped unexpectedly (exit code ${outcome.exitCode}) before these tests finished: ${firstLines(
    forLearner(outcome.output.slice(-600), context.learnerDir),
  )}`;
}

function budgetReason(budget: Budget): string {
  return `Not finished: the submission used up its time budget (${Math.round(budget.totalMs / 1000)} s for all of its tests, set from the time the reference solution needs; see docs/grading.md) before these tests could finish.`;
}
