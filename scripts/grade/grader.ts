/**
 * Grades submissions: runs the course's pristine tests against a sanitized copy of each submission's
 * `src/`, in child processes with a wall-clock limit and a memory limit, and turns the results into points.
 *
 * One vitest run per submission grades every lesson (fast). If that run is killed (a loop, a heap blow-up,
 * a crashed worker), the test files it did not finish are run again one by one, each with its own time
 * limit, so a lesson that hangs costs its own points and no others.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { type Lesson, listLessons } from "../lib/lessons";
import { type Manifest, manifestProblems } from "../lib/manifest";
import { courseFileNames, SOLUTIONS, writeCourseFiles } from "../lib/starter";
import type { StreamEvent } from "../lib/stream-reporter";
import { ROOT } from "../lib/target";
import { type RunOutcome, runTests } from "../lib/vitest";
import { isolatedFiles } from "./isolate";
import {
  type CatalogueLesson,
  type CatalogueTest,
  type Grade,
  gradeLesson,
  type LessonGrade,
  type Observed,
  testKey,
  totalGrade,
} from "./score";
import { readSubmission, type Submission, syntaxErrors, typeErrors } from "./submission";

export interface Limits {
  /** Wall-clock limit for one test file run on its own; a run of every file gets twice as long. */
  timeoutMs: number;
  /** Heap limit of each test process, in megabytes. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: Limits = { timeoutMs: 15_000, memoryMb: 512 };

/** What the output of a run may keep: enough to explain a crash, not enough to flood memory. */
const OUTPUT_LIMIT = 64 * 1024;

export interface GradeOptions {
  limits: Limits;
  /** Grade each lesson with the reference code for every other lesson's regions. */
  isolate: boolean;
  /** Where the sanitized copies go (inside the course, so `@course` resolves them like src/). */
  scratch: string;
  /** Also type-check each submission (notes only: vitest runs code without type checking). */
  typecheck: boolean;
}

/** Lessons of the manifest that have a folder, in order; throws if manifest and folders disagree. */
export function courseLessons(manifest: Manifest, lessons = listLessons()): { manifest: Manifest; lessons: Lesson[] } {
  const problems = manifestProblems(manifest, lessons);
  if (problems.length > 0) throw new Error(`course.json and lessons/ disagree:\n  ${problems.join("\n  ")}`);
  return { manifest, lessons };
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/**
 * Runs the course's tests against solutions/ to learn which tests grade which lesson.
 * Every one of them must pass there, or the course itself is broken and grading stops.
 */
export async function buildCatalogue(
  manifest: Manifest,
  lessons: Lesson[],
  limits: Limits,
): Promise<CatalogueLesson[]> {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const folders = manifest.lessons.map((l) => `lessons/${byId.get(l.id)?.folder}/`);
  const outcome = await runTests({
    target: "solutions",
    filters: folders,
    maxWorkers: 2,
    isolate: false,
    silent: true,
    streamResults: true,
    timeoutMs: limits.timeoutMs * 4,
    maxOutputChars: OUTPUT_LIMIT,
  });
  const tests = (outcome.stream ?? []).filter((e) => e.event === "test");
  const broken = tests.filter((e) => e.status !== "passed");
  if (tests.length === 0 || broken.length > 0 || outcome.exitCode !== 0) {
    throw new Error(
      `The course's own tests do not all pass against solutions/, so nothing can be graded fairly.\n${
        broken.map((t) => `  ${relative(t.file)}: ${t.name}`).join("\n") || outcome.output.slice(-2000)
      }`,
    );
  }
  return manifest.lessons.map((entry) => {
    const folder = `lessons/${byId.get(entry.id)?.folder}/`;
    const mine: CatalogueTest[] = tests
      .map((t) => ({ file: relative(t.file), name: t.name }))
      .filter((t) => t.file.startsWith(folder))
      .sort((a, b) => a.file.localeCompare(b.file));
    if (mine.length === 0) throw new Error(`${entry.id} has no tests: it cannot be graded.`);
    return { ...entry, files: [...new Set(mine.map((t) => t.file))], tests: mine };
  });
}

/** Results of one test file in a submission's run. */
interface FileRun {
  tests: Map<string, Observed>;
  /** Why the file's tests did not all run or load, for the feedback. */
  reason?: string;
}

/** Makes a message about the scratch copy read like one about the learner's own `src/`. */
function forLearner(message: string, target: string): string {
  return message.split(`${target}/`).join("src/").split(`${ROOT}/`).join("").trim();
}

function loadReason(errors: string[], target: string): string {
  const text = forLearner(errors.join("\n"), target);
  if (/process\.exit/.test(text)) {
    return `The code called process.exit() while the tests ran, so they could not finish: ${firstLine(text)} Remove the process.exit call from src/.`;
  }
  if (/Transform failed|SyntaxError|Unexpected token|Expected/.test(text)) {
    return `The tests could not load the code: it has a syntax error. ${firstLine(text)}`;
  }
  return `The tests could not load the code (it threw while being imported): ${firstLine(text)}`;
}

function firstLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.slice(0, 3).join(" ").slice(0, 400);
}

function crashReason(outcome: RunOutcome, limits: Limits): string {
  if (outcome.stalledFile) {
    return `Stopped after ${limits.timeoutMs / 1000} s without finishing: an infinite loop, or code far too slow? Tests that finished before the stop keep their result; the others get no credit.`;
  }
  if (outcome.timedOut) {
    return "The test run was stopped: it did not finish within its time limit, not even starting this lesson's tests.";
  }
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(outcome.output)) {
    return `Ran out of memory (the limit is ${limits.memoryMb} MB): something allocates without bound, like an array that grows forever or a graph walk that never ends.`;
  }
  return `The test process stopped unexpectedly (exit code ${outcome.exitCode}) before these tests finished: ${firstLine(outcome.output.slice(-600))}`;
}

function observation(status: "passed" | "failed" | "skipped", message: string, target: string): Observed {
  if (status === "skipped") return { status: "failed", message: "This test was skipped, so it earns nothing." };
  return { status, message: forLearner(message, target) };
}

/** Collects the finished files of a run from its stream. */
function finishedFiles(events: StreamEvent[], target: string): Map<string, FileRun> {
  const runs = new Map<string, FileRun>();
  const pending = new Map<string, Map<string, Observed>>();
  for (const e of events) {
    const file = relative(e.file);
    if (e.event === "start") pending.set(file, new Map());
    if (e.event === "test") {
      const tests = pending.get(file) ?? new Map<string, Observed>();
      pending.set(file, tests);
      tests.set(testKey(file, e.name), observation(e.status, e.message, target));
    }
    if (e.event === "end") {
      const tests = pending.get(file) ?? new Map<string, Observed>();
      runs.set(file, { tests, reason: e.errors.length > 0 ? loadReason(e.errors, target) : undefined });
      pending.delete(file);
    }
  }
  return runs;
}

/** The tests finished so far in a file the run did not finish (kept when the file is stopped). */
function partialFile(events: StreamEvent[], file: string, target: string): Map<string, Observed> {
  const tests = new Map<string, Observed>();
  for (const e of events) {
    if (e.event === "test" && relative(e.file) === file)
      tests.set(testKey(file, e.name), observation(e.status, e.message, target));
  }
  return tests;
}

/** Vitest's start-up is not counted in a file's time limit, but a run that cannot even start is stopped. */
const STARTUP_ALLOWANCE_MS = 60_000;

const runOptions = (target: string, files: string[], limits: Limits) => ({
  target,
  filters: files,
  maxWorkers: 1,
  isolate: files.length === 1,
  silent: true,
  streamResults: true,
  fileTimeoutMs: limits.timeoutMs,
  timeoutMs: STARTUP_ALLOWANCE_MS + limits.timeoutMs * files.length,
  memoryMb: limits.memoryMb,
  maxOutputChars: OUTPUT_LIMIT,
});

/**
 * Runs the test files against `target` safely: all together first, then on its own every file that did
 * not finish (the run crashed or was stopped). `expected` gives each file's test keys, so a file that
 * ends with results missing is run again too. Returns one FileRun per file.
 */
export async function runSafely(
  target: string,
  expected: Map<string, Set<string>>,
  limits: Limits,
): Promise<Map<string, FileRun>> {
  const files = [...expected.keys()];
  const runs = new Map<string, FileRun>();
  const absorb = (outcome: RunOutcome, only?: string) => {
    const events = outcome.stream ?? [];
    for (const [file, run] of finishedFiles(events, target)) {
      const missing = [...(expected.get(file) ?? [])].filter((key) => !run.tests.has(key)).length;
      if (run.reason || missing === 0) runs.set(file, run);
      else if (only === file) {
        runs.set(file, { ...run, reason: `${missing} of this lesson's tests reported no result.` });
      }
    }
    const stalled = outcome.stalledFile ? relative(outcome.stalledFile) : undefined;
    if (stalled && !runs.has(stalled)) {
      runs.set(stalled, { tests: partialFile(events, stalled, target), reason: crashReason(outcome, limits) });
    }
    if (only && !runs.has(only)) {
      runs.set(only, { tests: partialFile(events, only, target), reason: crashReason(outcome, limits) });
    }
  };
  absorb(await runTests(runOptions(target, files, limits)), files.length === 1 ? files[0] : undefined);
  for (const file of files.filter((f) => !runs.has(f))) {
    absorb(await runTests(runOptions(target, [file], limits)), file);
  }
  return runs;
}

function observedOf(
  runs: Map<string, FileRun>,
  files: string[],
): { observed: Map<string, Observed>; reasons: string[] } {
  const observed = new Map<string, Observed>();
  const reasons: string[] = [];
  for (const file of files) {
    const run = runs.get(file);
    if (!run) continue;
    if (run.reason && !reasons.includes(run.reason)) reasons.push(run.reason);
    for (const [key, value] of run.tests) observed.set(key, value);
  }
  return { observed, reasons };
}

function lessonGrade(lesson: CatalogueLesson, runs: Map<string, FileRun>, isolated: boolean): LessonGrade {
  const { observed, reasons } = observedOf(runs, lesson.files);
  // A test with no result in a file that stopped or failed to load gets the file's reason as its message.
  for (const test of lesson.tests) {
    const key = testKey(test.file, test.name);
    const reason = runs.get(test.file)?.reason;
    if (!observed.has(key) && reason) observed.set(key, { status: "failed", message: reason });
  }
  return gradeLesson(lesson, observed, reasons, isolated);
}

/** Each test file's test keys. */
function expectedTests(lessons: CatalogueLesson[]): Map<string, Set<string>> {
  const expected = new Map<string, Set<string>>();
  for (const lesson of lessons) {
    for (const t of lesson.tests)
      expected.set(t.file, (expected.get(t.file) ?? new Set()).add(testKey(t.file, t.name)));
  }
  return expected;
}

/** The reference files, read once. */
function referenceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of courseFileNames(SOLUTIONS)) files.set(name, readFileSync(path.join(SOLUTIONS, name), "utf8"));
  return files;
}

/** Grades one submission. Never throws for anything the submission does. */
export async function gradeSubmission(
  source: string,
  learner: string,
  catalogue: CatalogueLesson[],
  options: GradeOptions,
): Promise<Grade> {
  const started = Date.now();
  const moduleNames = courseFileNames(SOLUTIONS);
  const submission: Submission = readSubmission(source, learner, moduleNames);
  const notes = [...submission.notes];
  const dir = path.join(options.scratch, learner);
  rmSync(dir, { recursive: true, force: true });
  const plain = path.join(dir, "src");
  mkdirSync(plain, { recursive: true });
  writeCourseFiles(plain, submission.files);

  const syntax = syntaxErrors(submission.files);
  if (syntax.length > 0) {
    notes.push(
      `Syntax errors (the lessons whose tests import these files get no credit):\n${syntax.map((s) => `  ${s}`).join("\n")}`,
    );
  } else if (options.typecheck && submission.files.size > 0) {
    const types = typeErrors(plain, [...submission.files.keys()]);
    if (types.length > 0) {
      notes.push(
        `Type errors (tsc would reject these; the tests run the code without type checking, so they cost points only where a test fails):\n${types
          .slice(0, 10)
          .map((s) => `  ${s}`)
          .join("\n")}`,
      );
    }
  }

  const files = catalogue.flatMap((l) => l.files);
  let runs: Map<string, FileRun>;
  if (!submission.files.has("engine.ts")) {
    // Without the engine nothing can load; say so instead of running.
    const reason = "src/engine.ts is missing, so no lesson's tests can load.";
    runs = new Map(files.map((f) => [f, { tests: new Map(), reason }]));
  } else {
    runs = await runSafely(relative(plain), expectedTests(catalogue), options.limits);
  }
  let lessons = catalogue.map((l) => lessonGrade(l, runs, false));

  if (options.isolate) {
    lessons = await isolateLessons(lessons, submission, catalogue, dir, options, notes);
  }
  rmSync(dir, { recursive: true, force: true });
  return totalGrade(learner, source, lessons, notes, Date.now() - started);
}

async function isolateLessons(
  plain: LessonGrade[],
  submission: Submission,
  catalogue: CatalogueLesson[],
  dir: string,
  options: GradeOptions,
  notes: string[],
): Promise<LessonGrade[]> {
  const reference = referenceFiles();
  const ids = new Set(listLessons().map((l) => l.id));
  const result: LessonGrade[] = [];
  for (const [i, lesson] of catalogue.entries()) {
    if (plain[i].score === plain[i].max) {
      result.push(plain[i]);
      continue;
    }
    const built = isolatedFiles(lesson.id, submission.files, reference, ids);
    if ("problem" in built) {
      notes.push(`${lesson.id} could not be graded in isolation (${built.problem}): it got the plain grade.`);
      result.push(plain[i]);
      continue;
    }
    const target = path.join(dir, lesson.id);
    writeCourseFiles(target, built.files);
    const runs = await runSafely(relative(target), expectedTests([lesson]), options.limits);
    const isolated = lessonGrade(lesson, runs, true);
    result.push(isolated.score > plain[i].score ? isolated : plain[i]);
  }
  return result;
}
