/**
 * Points, from test results to a grade. Pure functions: no files, no processes, so they are tested with
 * fabricated results (tests/grading.test.ts).
 *
 * A lesson is worth its manifest points; they are shared over its tests in whole cents, so that the
 * shares of a lesson add up to exactly its points and a full score is exactly 100. Bonus lessons (graded
 * with --bonus) are added up on their own, never into the 100.
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
  /** In cents: the test's share of its lesson's points, if it passed. */
  score: number;
  max: number;
}

export interface LessonGrade {
  id: string;
  title: string;
  /** In cents. */
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
  /** In cents, over the core lessons only (a full score is exactly 100). */
  score: number;
  max: number;
  /** In cents, over the bonus lessons, when any were graded. */
  bonus?: { score: number; max: number };
  /** About the submission as a whole: ignored files, syntax and type errors, isolation fallbacks. */
  notes: string[];
  durationMs: number;
}

/** Splits `points` (in whole points) into `n` shares in cents that add up exactly. */
export function shares(points: number, n: number): number[] {
  const cents = Math.round(points * 100);
  if (n === 0) return [];
  const base = Math.floor(cents / n);
  return Array.from({ length: n }, (_, i) => base + (i < cents - base * n ? 1 : 0));
}

export const testKey = (file: string, name: string) => `${file}\u0000${name}`;

/** The message a test gets when the run produced no result for it. */
export const NO_RESULT = "no result: this test did not run.";

/**
 * Grades one lesson: each test's share when it passed, nothing when it failed or has no result.
 * `reasons` are the lesson-level explanations gathered by the runner (timeouts, crashes, load errors).
 */
export function gradeLesson(
  lesson: CatalogueLesson,
  observed: ReadonlyMap<string, Observed>,
  reasons: string[] = [],
  isolated = false,
): LessonGrade {
  const split = shares(lesson.points, lesson.tests.length);
  const tests = lesson.tests.map((test, i): GradedTest => {
    const seen = observed.get(testKey(test.file, test.name));
    const status = seen?.status ?? "failed";
    return {
      ...test,
      lesson: lesson.id,
      status,
      message: seen ? seen.message : NO_RESULT,
      score: status === "passed" ? split[i] : 0,
      max: split[i],
    };
  });
  const failed = tests.filter((t) => t.status === "failed");
  const allReasons = [...reasons];
  if (failed.length > 0 && failed.length === tests.length && allReasons.length === 0) {
    // Every test failed: say the one thing a learner should know first.
    if (failed.every((t) => stubbedLesson(t.message) !== undefined)) {
      allReasons.push("Not started: the code still throws the starter's “not done yet” stub.");
    }
  }
  return {
    id: lesson.id,
    title: lesson.title,
    score: tests.reduce((sum, t) => sum + t.score, 0),
    max: tests.reduce((sum, t) => sum + t.max, 0),
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
): Grade {
  const sum = (graded: LessonGrade[]) => ({
    score: graded.reduce((total, l) => total + l.score, 0),
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
  };
}

/** Cents as points: 1250 → "12.5", 10000 → "100". */
export function points(cents: number): string {
  return String(Math.round(cents) / 100);
}
