/**
 * Points, from test results to a grade. Pure functions: no files, no processes, so they are tested with
 * fabricated results (tests/grading.test.ts).
 *
 * A lesson is worth its manifest points, shared equally over its tests: it scores its passing tests' share
 * of its points, and the total is the sum of the lessons, each rounded to the cent as it is shown. This is
 * exactly how GitHub Classroom's reporter scores a runner (one runner per lesson: classroom.ts), in the same
 * floating-point operations, so that its table and our reports agree to the cent. A full score is exactly
 * 100. Bonus lessons (graded with --bonus) are added up on their own, never into the 100.
 */
import { stubbedLesson } from "../lib/stub-message";

/** One test of the course, as the reference run found it. */
export interface CatalogueTest {
  /** Test file, relative to the course root. */
  file: string;
  /** "describe › test". */
  name: string;
}

/** A lesson of the manifest with the tests that grade it. */
export interface CatalogueLesson {
  id: string;
  title: string;
  points: number;
  /** A lesson of the bonus part: its points come on top of the core's 100. */
  bonus?: boolean;
  /** Test files, relative to the course root. */
  files: string[];
  tests: CatalogueTest[];
}

/** What happened to one test in a submission's run. */
export interface Observed {
  status: "passed" | "failed";
  message: string;
}

export interface GradedTest extends CatalogueTest {
  lesson: string;
  status: "passed" | "failed";
  message: string;
}

export interface LessonGrade {
  id: string;
  title: string;
  /** The lesson's points as GitHub Classroom's reporter computes them (lessonPoints), before any rounding. */
  points: number;
  /** In cents: `points`, rounded as shown. */
  score: number;
  max: number;
  passed: number;
  total: number;
  /** Why the lesson lost points, in a sentence or two each (a timeout, a crash, a stub not yet replaced). */
  reasons: string[];
  /** Graded with the reference code for every other lesson (`--isolate`). */
  isolated: boolean;
  /** A bonus lesson: not counted in the grade's score and max, but in its bonus. */
  bonus: boolean;
  tests: GradedTest[];
}

export interface Grade {
  learner: string;
  /** The submission folder as given. */
  source: string;
  lessons: LessonGrade[];
  /** In cents, over the core lessons only: their `points` added up, rounded once (a full score is exactly 100). */
  score: number;
  max: number;
  /** In cents, over the bonus lessons, when any were graded. */
  bonus?: { score: number; max: number };
  /** About the submission as a whole: ignored files, syntax and type errors, isolation fallbacks. */
  notes: string[];
  /** Wall-clock time, from the start of its grading to its grade. */
  durationMs: number;
  /** Its runs' own time (the time the machine kept them waiting not counted: own-time.ts), what its budget counts. */
  ownMs: number;
}

/** Splits `points` (in whole points) into `n` shares in cents that add up exactly (shown as each test's worth). */
export function shares(points: number, n: number): number[] {
  const cents = Math.round(points * 100);
  if (n === 0) return [];
  const base = Math.floor(cents / n);
  return Array.from({ length: n }, (_, i) => base + (i < cents - base * n ? 1 : 0));
}

/**
 * A lesson's points: its passing tests' share of its points, `(passed / total) * points` in that order, the
 * floating-point operations GitHub Classroom's reporter makes for a runner's score.
 */
export function lessonPoints(passed: number, total: number, points: number): number {
  return total === 0 ? 0 : (passed / total) * points;
}

/** Points in cents, rounded as the reporter prints them (`toFixed(2)`): 4.444… → 444, 93.055 → 9306 or 9305. */
export function cents(points: number): number {
  return Number(points.toFixed(2).replace(".", ""));
}

export const testKey = (file: string, name: string) => `${file}\u0000${name}`;

/** The message a test gets when the run produced no result for it. */
export const NO_RESULT = "no result: this test did not run.";

/**
 * Grades one lesson: its passing tests' share of its points (a failed test and one with no result earn
 * nothing). `reasons` are the lesson-level explanations gathered by the runner (timeouts, crashes, load errors).
 */
export function gradeLesson(
  lesson: CatalogueLesson,
  observed: ReadonlyMap<string, Observed>,
  reasons: string[] = [],
  isolated = false,
): LessonGrade {
  const tests = lesson.tests.map((test): GradedTest => {
    const seen = observed.get(testKey(test.file, test.name));
    return { ...test, lesson: lesson.id, status: seen?.status ?? "failed", message: seen ? seen.message : NO_RESULT };
  });
  const failed = tests.filter((t) => t.status === "failed");
  const allReasons = [...reasons];
  if (failed.length > 0 && failed.length === tests.length && allReasons.length === 0) {
    // Every test failed: say the one thing a learner should know first.
    if (failed.every((t) => stubbedLesson(t.message) !== undefined)) {
      allReasons.push("Not started: the code still throws the starter's “not done yet” stub.");
    }
  }
  const points = lessonPoints(tests.length - failed.length, tests.length, lesson.points);
  return {
    id: lesson.id,
    title: lesson.title,
    points,
    score: cents(points),
    max: Math.round(lesson.points * 100),
    passed: tests.length - failed.length,
    total: tests.length,
    reasons: allReasons,
    isolated,
    bonus: lesson.bonus === true,
    tests,
  };
}

export function totalGrade(
  learner: string,
  source: string,
  lessons: LessonGrade[],
  notes: string[],
  durationMs: number,
  ownMs = durationMs,
): Grade {
  // The lessons' points added up in their order, as the reporter adds its runners' scores, and rounded once.
  const sum = (graded: LessonGrade[]) => ({
    score: cents(graded.reduce((total, l) => total + l.points, 0)),
    max: graded.reduce((total, l) => total + l.max, 0),
  });
  const bonus = lessons.filter((l) => l.bonus);
  return {
    learner,
    source,
    lessons,
    ...sum(lessons.filter((l) => !l.bonus)),
    ...(bonus.length > 0 ? { bonus: sum(bonus) } : {}),
    notes,
    durationMs,
    ownMs,
  };
}

/** Cents as points: 1250 → "12.5", 10000 → "100". */
export function points(cents: number): string {
  return String(Math.round(cents) / 100);
}
