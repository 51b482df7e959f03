/**
 * Grades submissions: reads a submission's course files, passes its exercise files through the static
 * gate (gate.ts), copies what may run into a scratch folder outside the course, runs the course's pristine
 * tests on that copy in the sandbox (runs.ts, testrun.ts, sandbox.ts) and turns the results into points.
 *
 * The course's provided files (its helpers, with no exercise in them: the random generator, the gradient
 * checker the tests call, ...) are always the course's own: a submission cannot change how it is checked.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { type Lesson, listLessons } from "../lib/lessons";
import { type Manifest, manifestProblems } from "../lib/manifest";
import { parseRegions, regionsOf } from "../lib/regions";
import { courseFileNames, generateStarter, SOLUTIONS, writeCourseFiles } from "../lib/starter";
import { ROOT } from "../lib/target";
import { clipText, LIMITS, size, someOf } from "./bounds";
import { type Finding, gate } from "./gate";
import { isolatedFiles } from "./isolate";
import { Budget, type FileRun, REFUSED, runSafely } from "./runs";
import type { Sandbox } from "./sandbox";
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
import { readSubmission, typeErrors } from "./submission";
import { type Received, runVitest } from "./testrun";

export interface Limits {
  /**
   * The own time (own-time.ts) one test file may take, from the moment it starts loading to its end, at
   * least: a file the reference needs long for gets more (fileLimit).
   */
  timeoutMs: number;
  /** Heap limit of the test process, in megabytes. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: Limits = { timeoutMs: 15_000, memoryMb: 512 };

export interface GradeOptions {
  limits: Limits;
  /** Grade each lesson with the reference code for every other lesson's regions. */
  isolate: boolean;
  /** Where the copies go: a folder outside the course tree. */
  scratch: string;
  /** Also type-check each submission (notes only: vitest runs code without type checking). */
  typecheck: boolean;
  /** The sandbox each run goes in, or undefined when the instructor chose `--no-sandbox`. */
  sandbox: Sandbox | undefined;
  /** Own time all of one submission's runs may take together (see timeBudget). */
  budgetMs: number;
  /** The reference's own time for each test file, in the same grading run (buildCatalogue). */
  referenceFileMs: ReadonlyMap<string, number>;
  /** The static gate, on unless the self-test proves what the sandbox holds on its own. */
  gate?: boolean;
}

/** How many times the reference's own time a test file may take, when that is more than `--timeout`. */
export const FILE_LIMIT_FACTOR = 5;

/**
 * The own time a test file may take: `--timeout`, or five times what the reference took for it in the same
 * grading run if that is more (a file that trains on MNIST needs longer than one that adds two numbers, and
 * more on a slower machine), in whole seconds.
 */
export function fileLimit(limits: Limits, referenceFileMs: ReadonlyMap<string, number>): (file: string) => number {
  return (file) =>
    Math.max(limits.timeoutMs, Math.ceil((FILE_LIMIT_FACTOR * (referenceFileMs.get(file) ?? 0)) / 1000) * 1000);
}

/**
 * A submission's time budget, in own time: ten times the reference's run, at least 30 s, and at least three
 * times the longest file limit (so that one or two files stopped at their limit do not cost the lessons after
 * them); twice that with --isolate, which runs each lesson again.
 */
export function timeBudget(referenceMs: number, isolate: boolean, longestFileLimitMs = 0): number {
  return Math.max(30_000, 10 * referenceMs, 3 * longestFileLimitMs) * (isolate ? 2 : 1);
}

/** The time budget of every submission graded against `reference` with `limits`. */
export function referenceBudget(reference: Reference, limits: Limits, isolate: boolean): number {
  const limitOf = fileLimit(limits, reference.referenceFileMs);
  const longest = Math.max(0, ...reference.catalogue.flatMap((l) => l.files).map(limitOf));
  return timeBudget(reference.referenceMs, isolate, longest);
}

/** Lessons of the manifest that have a folder, in order; throws if manifest and folders disagree. */
export function courseLessons(manifest: Manifest, lessons = listLessons()): { manifest: Manifest; lessons: Lesson[] } {
  const problems = manifestProblems(manifest, lessons);
  if (problems.length > 0) throw new Error(`course.json and lessons/ disagree:\n  ${problems.join("\n  ")}`);
  return { manifest, lessons };
}

interface CourseModules {
  names: string[];
  exercises: Set<string>;
  provided: Map<string, string>;
}
let modulesCache: CourseModules | undefined;

/** The course's module files: the exercise files (with regions) and the provided ones, with their text. */
export function courseModules(): CourseModules {
  if (modulesCache) return modulesCache;
  const names = courseFileNames(SOLUTIONS);
  const ids = new Set(listLessons().map((l) => l.id));
  const starter = generateStarter();
  const exercises = new Set<string>();
  const provided = new Map<string, string>();
  for (const name of names) {
    const text = readFileSync(path.join(SOLUTIONS, name), "utf8");
    if (regionsOf(parseRegions(text, `solutions/${name}`, ids)).length > 0) exercises.add(name);
    else provided.set(name, starter.get(name) ?? text);
  }
  modulesCache = { names, exercises, provided };
  return modulesCache;
}

/**
 * Writes `files` as a learner's copy in a new folder under `scratch`: `<folder>/src/` and the course's
 * tsconfig.json beside it (vitest compiles the copy with the course's settings). Returns the folder.
 */
function writeCopy(scratch: string, files: Map<string, string>): string {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, "copy-"));
  writeCourseFiles(path.join(dir, "src"), files);
  copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  return dir;
}

/** What the reference run found: the tests of each lesson, and the own time of the run and of each test file. */
export interface Reference {
  catalogue: CatalogueLesson[];
  referenceMs: number;
  referenceFileMs: Map<string, number>;
}

/**
 * Runs the course's tests against the reference, in the sandbox and exactly as a submission's first run,
 * to learn which tests grade which lesson and how long a right submission takes (in own time, on this
 * machine, now). Every test must pass there, or the course (or the sandbox) is broken and grading stops.
 */
export async function buildCatalogue(
  manifest: Manifest,
  lessons: Lesson[],
  options: Pick<GradeOptions, "limits" | "scratch" | "sandbox">,
): Promise<Reference> {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const folders = manifest.lessons.map((l) => `lessons/${byId.get(l.id)?.folder}/`);
  const reference = new Map(courseFileNames(SOLUTIONS).map((n) => [n, readFileSync(path.join(SOLUTIONS, n), "utf8")]));
  const dir = writeCopy(options.scratch, reference);
  try {
    const outcome = await runVitest(
      {
        learnerDir: dir,
        files: folders,
        isolate: false,
        fileLimitMs: () => options.limits.timeoutMs * 4,
        timeoutMs: 5 * 60_000,
        memoryMb: options.limits.memoryMb,
      },
      options.sandbox,
    );
    const tests = outcome.events.filter((e) => e.event === "test");
    const broken = tests.filter((e) => e.status !== "passed");
    const failedFiles = outcome.events.filter((e) => e.event === "end" && e.errors.length > 0);
    if (tests.length === 0 || broken.length > 0 || failedFiles.length > 0 || outcome.exitCode !== 0) {
      throw new Error(
        `The course's own tests do not all pass against solutions/${options.sandbox ? " in the sandbox" : ""}, so nothing can be graded fairly.\n${
          broken.map((t) => `  ${t.file}: ${t.event === "test" ? t.name : ""}`).join("\n") ||
          outcome.output.slice(-2000)
        }`,
      );
    }
    const catalogue = manifest.lessons.map((entry) => {
      const folder = `lessons/${byId.get(entry.id)?.folder}/`;
      const mine: CatalogueTest[] = tests
        .map((t) => ({ file: t.file, name: t.event === "test" ? t.name : "" }))
        .filter((t) => t.file.startsWith(folder))
        .sort((a, b) => a.file.localeCompare(b.file));
      if (mine.length === 0) throw new Error(`${entry.id} has no tests: it cannot be graded.`);
      return { ...entry, files: [...new Set(mine.map((t) => t.file))], tests: mine };
    });
    return { catalogue, referenceMs: outcome.ownMs, referenceFileMs: fileTimes(outcome.events) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each test file's own time in a run: from its start (queued) to its end. */
export function fileTimes(events: Received[]): Map<string, number> {
  const times = new Map<string, number>();
  const started = new Map<string, number>();
  for (const e of events) {
    if (e.event === "queued") started.set(e.file, e.at);
    if (e.event === "end" && started.has(e.file)) times.set(e.file, e.at - (started.get(e.file) as number));
  }
  return times;
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

const describeFinding = (name: string, f: Finding) =>
  clipText(`src/${name}:${f.line}:${f.column}: ${f.what}`, LIMITS.lineChars);

/**
 * The files that may run: the submission's exercise files that pass the gate, a stub that throws in place
 * of each refused one (so exactly the lessons whose tests import it fail to load), and the course's own
 * provided files. Notes say what was refused or replaced.
 */
function runnableFiles(
  files: Map<string, string>,
  modules: CourseModules,
  useGate: boolean,
  notes: string[],
): { files: Map<string, string>; refused: Set<string> } {
  const exercises = new Map([...files].filter(([name]) => modules.exercises.has(name)));
  const findings = useGate ? gate(exercises, modules.names) : new Map<string, Finding[]>();
  const runnable = new Map<string, string>();
  for (const [name, text] of exercises) {
    const found = findings.get(name);
    if (!found) {
      runnable.set(name, text);
      continue;
    }
    // One finding per line (the first), five at most: enough to find and fix each place.
    const shown = found.filter((f, i) => found.findIndex((g) => g.line === f.line) === i).slice(0, 5);
    const first = describeFinding(name, shown[0]);
    runnable.set(name, `throw new Error(${JSON.stringify(`src/${name} ${REFUSED} (${first}).`)});\n`);
    notes.push(
      `src/${name} ${REFUSED}, so the lessons whose tests import it get no credit. Course code only computes: it imports only the course's own modules and uses only plain built-ins.\n${shown
        .map((f) => `  ${describeFinding(name, f)}`)
        .join("\n")}`,
    );
  }
  const changed: string[] = [];
  for (const [name, text] of modules.provided) {
    runnable.set(name, text);
    const theirs = files.get(name);
    if (theirs !== undefined && theirs.replace(/\r\n/g, "\n") !== text) changed.push(`src/${name}`);
  }
  if (changed.length > 0) {
    notes.push(
      `${someOf(changed)} ${changed.length === 1 ? "is a file" : "are files"} the course provides: graded with the course's own copy, not the submission's changed one.`,
    );
  }
  return { files: runnable, refused: new Set(findings.keys()) };
}

/** Grades one submission. Never throws: a failure of any kind becomes the learner's reason. */
export async function gradeSubmission(
  source: string,
  learner: string,
  catalogue: CatalogueLesson[],
  options: GradeOptions,
): Promise<Grade> {
  const started = Date.now();
  const notes: string[] = [];
  let lessons: LessonGrade[];
  const folders: string[] = [];
  const budget = new Budget(options.budgetMs);
  try {
    lessons = await gradeFiles(source, learner, catalogue, options, notes, folders, budget);
  } catch (error) {
    notes.push(`The grader could not grade this submission (${(error as Error).message}): please report it.`);
    lessons = catalogue.map((l) => gradeLesson(l, new Map(), ["The grader could not run these tests."]));
  } finally {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
  // No path of the instructor's machine reaches the learner's feedback, and no part of it grows with the submission.
  const scrub = (text: string, limit: number) =>
    clipText(text.split(options.scratch).join("<grader's copy>").split(ROOT).join("<course>"), limit);
  for (const lesson of lessons) {
    lesson.reasons = lesson.reasons.map((r) => scrub(r, LIMITS.reasonChars));
    for (const test of lesson.tests) test.message = scrub(test.message, LIMITS.messageChars);
  }
  const kept = notes.length > LIMITS.notes ? notes.slice(0, LIMITS.notes - 1) : notes;
  const more = notes.length - kept.length;
  const shown = [...kept.map((n) => scrub(n, LIMITS.noteChars)), ...(more > 0 ? [`And ${more} more notes.`] : [])];
  return totalGrade(learner, source, lessons, shown, Date.now() - started, budget.spentMs);
}

async function gradeFiles(
  source: string,
  learner: string,
  catalogue: CatalogueLesson[],
  options: GradeOptions,
  notes: string[],
  folders: string[],
  budget: Budget,
): Promise<LessonGrade[]> {
  const modules = courseModules();
  const submission = readSubmission(source, learner, modules.names, new Set(modules.provided.keys()));
  notes.push(...submission.notes);
  const { files, refused } = runnableFiles(submission.files, modules, options.gate ?? true, notes);
  const plain = writeCopy(options.scratch, files);
  folders.push(plain);

  if (options.typecheck && submission.files.has("engine.ts") && refused.size === 0) {
    try {
      const types = typeErrors(
        path.join(plain, "src"),
        [...submission.files.keys()].filter((n) => files.has(n)),
      );
      if (types.length > 0) {
        const more = types.length > LIMITS.listItems ? `\n  and ${types.length - LIMITS.listItems} more` : "";
        notes.push(
          `Type errors (tsc would reject these; the tests run the code without type checking, so they cost points only where a test fails):\n${types
            .slice(0, LIMITS.listItems)
            .map((s) => `  ${clipText(s, LIMITS.lineChars)}`)
            .join("\n")}${more}`,
        );
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }

  const context = {
    fileLimitMs: fileLimit(options.limits, options.referenceFileMs),
    memoryMb: options.limits.memoryMb,
    sandbox: options.sandbox,
    budget,
  };
  let runs: Map<string, FileRun>;
  if (!submission.files.has("engine.ts") || refused.has("engine.ts")) {
    // Without a runnable engine nothing can load; say so instead of running.
    const reason = refused.has("engine.ts")
      ? `The tests could not load the code: src/engine.ts ${REFUSED} (see the notes above).`
      : "src/engine.ts is missing, so no lesson's tests can load.";
    runs = new Map(catalogue.flatMap((l) => l.files).map((f) => [f, { tests: new Map(), reason }]));
  } else {
    runs = await runSafely(expectedTests(catalogue), { ...context, learnerDir: plain });
  }
  let lessons = catalogue.map((l) => lessonGrade(l, runs, false));
  const printed = [...runs.values()].reduce((sum, run) => sum + (run.printed ?? 0), 0);
  if (printed > LIMITS.printedChars) {
    notes.push(
      `While its tests ran, the code printed ${size(printed)} (console.log and the like). The grader keeps none of what a run prints; printing costs no points, unless it makes the code too slow.`,
    );
  }

  if (options.isolate) {
    const reference = new Map(modules.names.map((n) => [n, readFileSync(path.join(SOLUTIONS, n), "utf8")]));
    const ids = new Set(listLessons().map((l) => l.id));
    const result: LessonGrade[] = [];
    for (const [i, lesson] of catalogue.entries()) {
      if (lessons[i].score === lessons[i].max) {
        result.push(lessons[i]);
        continue;
      }
      const built = isolatedFiles(lesson.id, submission.files, reference, ids);
      if ("problem" in built) {
        notes.push(`${lesson.id} could not be graded in isolation (${built.problem}): it got the plain grade.`);
        result.push(lessons[i]);
        continue;
      }
      // The lesson's own regions are the learner's code: they pass the gate before they run.
      const isolatedNotes: string[] = [];
      const isolated = runnableFiles(built.files, modules, options.gate ?? true, isolatedNotes);
      if (isolated.refused.size > 0) {
        notes.push(`${lesson.id} could not be graded in isolation (its code was refused): it got the plain grade.`);
        result.push(lessons[i]);
        continue;
      }
      const dir = writeCopy(options.scratch, isolated.files);
      folders.push(dir);
      const lessonRuns = await runSafely(expectedTests([lesson]), { ...context, learnerDir: dir });
      const graded = lessonGrade(lesson, lessonRuns, true);
      result.push(graded.score > lessons[i].score ? graded : lessons[i]);
    }
    lessons = result;
  }
  return lessons;
}
