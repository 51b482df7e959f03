/**
 * What GitHub Classroom's reporter (classroom-resources/autograding-grading-reporter, as the workflow in
 * docs/grading.md runs it) reads: one runner per lesson (`lesson01`, `lesson02`, ...), each a result
 * `{version: 1, status, max_score, tests: [{name, status, score, max_score, message, ...}]}`.
 *
 * The reporter adds points up twice, and both must show our points to the cent:
 * - its table scores a runner by its passing tests' share of its max_score, the lesson's points: that is how
 *   a lesson is scored here (score.ts), with the same operations, and its total adds those scores up;
 * - its notice, which Classroom records, adds up every test's `score`, runner after runner, in floating point.
 *   The tests' scores here are cents that add up to our total exactly, and the last one carries the
 *   correction (far below a cent) that makes the floating-point sum come out as that total.
 * Bonus lessons are runners with max_score 0: their tests show in the log, but the reporter counts neither
 * their points nor their max (it has no extra credit its table and its notice agree on), so the bonus lives
 * in our own reports only.
 */
import { clipText, LIMITS } from "./bounds";
import { cleanText, lessonName } from "./reports";
import type { Grade, LessonGrade } from "./score";
import { shares } from "./score";

export interface ClassroomTest {
  name: string;
  status: "pass" | "fail";
  score: number;
  max_score: number;
  message: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

export interface ClassroomResult {
  version: 1;
  status: "pass" | "fail";
  max_score: number;
  tests: ClassroomTest[];
}

/** A lesson's runner id, as the workflow names it and its `*_RESULTS` variable: "lesson-01" → "lesson01". */
export const runnerId = (lessonId: string) => lessonId.replace(/[^A-Za-z0-9]/g, "");

/** Each lesson's result, by runner id, in the course's order (the order the workflow lists the runners in). */
export function classroomResults(grade: Grade): Record<string, ClassroomResult> {
  const scored = new Map<LessonGrade, number[]>();
  for (const bonus of [false, true]) {
    const lessons = grade.lessons.filter((l) => l.bonus === bonus);
    const total = bonus ? (grade.bonus?.score ?? 0) : grade.score;
    for (const [lesson, scores] of testScores(lessons, total)) scored.set(lesson, scores);
  }
  return Object.fromEntries(
    grade.lessons.map((lesson) => {
      const scores = scored.get(lesson) ?? [];
      const worth = shares(lesson.max / 100, lesson.total);
      const tests = lesson.tests.map(
        (t, i): ClassroomTest => ({
          name: `${lessonName(lesson)} › ${t.name}`,
          status: t.status === "passed" ? "pass" : "fail",
          score: scores[i],
          max_score: worth[i] / 100,
          message: t.status === "passed" ? "" : clipText(cleanText(t.message), LIMITS.messageChars),
          filename: t.file,
          line_no: 0,
          execution_time: "",
        }),
      );
      const status = lesson.passed === lesson.total ? "pass" : "fail";
      return [runnerId(lesson.id), { version: 1, status, max_score: lesson.bonus ? 0 : lesson.max / 100, tests }];
    }),
  );
}

/**
 * The `score` of each test of `lessons`: `total` cents shared over the passing tests in proportion to what each
 * is worth (a lesson's points over its tests), so that they add up to it, in the floating-point sum the
 * reporter makes too.
 */
function testScores(lessons: LessonGrade[], total: number): Map<LessonGrade, number[]> {
  const passing = lessons.flatMap((l) => l.tests.map((t) => (t.status === "passed" ? l.max / l.total : 0)));
  const inCents = shareOut(total, passing);
  const floats = summingTo(
    inCents.map((c) => c / 100),
    total / 100,
  );
  const result = new Map<LessonGrade, number[]>();
  let at = 0;
  for (const lesson of lessons) {
    result.set(lesson, floats.slice(at, at + lesson.total));
    at += lesson.total;
  }
  return result;
}

/** `total` cents as whole cents in proportion to `exact` (in cents): each rounded down, then the cents left over to the largest remainders. */
export function shareOut(total: number, exact: number[]): number[] {
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .filter(({ i }) => exact[i] > 0)
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i)
    .map(({ i }) => i);
  // Rounding the total can take it past the sum of the ceilings, or below that of the floors, by a cent or two.
  for (let k = 0; left !== 0 && order.length > 0; k = (k + 1) % order.length) {
    const i = order[k];
    if (left > 0) {
      out[i]++;
      left--;
    } else if (out[i] > 0) {
      out[i]--;
      left++;
    }
  }
  return out;
}

/**
 * `values`, with the last one that is not 0 nudged (by a few units of its last binary digit at most) so that
 * adding them up from 0, left to right in floating point, gives exactly `target`.
 */
export function summingTo(values: number[], target: number): number[] {
  const last = values.findLastIndex((v) => v !== 0);
  if (last < 0 || values.reduce((a, b) => a + b, 0) === target) return values;
  const before = values.slice(0, last).reduce((a, b) => a + b, 0);
  let value = target - before;
  for (let tries = 0; before + value !== target && tries < 16; tries++)
    value = adjacent(value, before + value < target);
  return values.map((v, i) => (i === last ? value : v));
}

/** The floating-point number next to `x`, above or below. */
function adjacent(x: number, up: boolean): number {
  const float = new Float64Array([x]);
  const bits = new BigInt64Array(float.buffer);
  bits[0] += up === x >= 0 ? 1n : -1n;
  return float[0];
}

/** The results as `<learner>.json` holds them: each runner's, by its id. */
export function classroomJson(grade: Grade): string {
  return `${JSON.stringify(classroomResults(grade), null, 2)}\n`;
}

/** The lines `--github-output` appends to $GITHUB_OUTPUT: `lesson01=<base64 of its result>`, one per runner. */
export function githubOutput(grade: Grade): string {
  return Object.entries(classroomResults(grade))
    .map(([id, result]) => `${id}=${Buffer.from(JSON.stringify(result)).toString("base64")}\n`)
    .join("");
}
